// Preloaded with `node --require` to run a cdktf app on CDK Terrain: every `require('cdktf')` (the app's and the
// generated bindings') gets `cdktn` instead. It does for one process what installing the alias
// `npm install cdktf@npm:cdktn@0.24.0` does for a project; here both packages are installed, under their own names.
'use strict';
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveCdktfAsCdktn(request, ...rest) {
  const renamed = request === 'cdktf' || request.startsWith('cdktf/') ? `cdktn${request.slice('cdktf'.length)}` : request;
  return resolveFilename.call(this, renamed, ...rest);
};
