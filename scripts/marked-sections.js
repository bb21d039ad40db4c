// Generated sections inside hand-written Markdown: the text between `<!-- <name>:start -->` and
// `<!-- <name>:end -->` belongs to a generator (the settings table, the module READMEs' tables).
'use strict';

const pattern = (name) => new RegExp(`(<!-- ${name}:start -->\\n)([\\s\\S]*?)(<!-- ${name}:end -->)`);

/** `text` with section `name` holding `content`; throws naming `file` when the markers are missing. */
function withSection(text, name, content, file) {
  if (!pattern(name).test(text)) throw new Error(`${file} has no ${name} section (<!-- ${name}:start --> … <!-- ${name}:end -->)`);
  return text.replace(pattern(name), (_m, start, _old, end) => `${start}${content}\n${end}`);
}

/** What section `name` of `text` holds now; undefined when it has none. */
function sectionOf(text, name) {
  return pattern(name).exec(text)?.[2];
}

module.exports = { withSection, sectionOf };
