// Class names that survive minification and the bundler's renaming (cheaper than esbuild's
// --keep-names on every function: 2.5 KB gzip): as `err.name` and `err.constructor.name`.

/** Names each class of `classes` (`{ name: Class }`, e.g. a module namespace) after its key. */
export function nameClasses(classes) {
  for (const [name, Class] of Object.entries(classes)) {
    if (typeof Class !== 'function') continue;
    Object.defineProperty(Class, 'name', { value: name, configurable: true });
    Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true });
  }
}

/** `Class` named `name`; pure, so that a bundler leaves out a class nothing uses. */
export const named = (name, Class) => (nameClasses({ [name]: Class }), Class);
