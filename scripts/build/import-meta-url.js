// Injected into every CommonJS bundle (scripts/build.mjs): `import.meta.url` is the bundle's own
// file, so a module can start a worker thread on the bundle it is part of.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
