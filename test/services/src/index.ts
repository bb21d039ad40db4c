export * from './chromium';
export * from './postgres';
export * from './s3-gateway';
export * from './sts-server';
/** Process and directory helpers the services use, shared with tests and benchmarks that run processes. */
export {
  childEnv,
  exitDescription,
  freePorts,
  hasExited,
  makeTempDir,
  removeDir,
  waitForExit,
  waitUntilReady,
} from './process';
