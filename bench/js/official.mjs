// The official SDK the stream benchmark compares against: the one place that names it, so a
// newer version is a one-line change (and a devDependency alias in package.json).
export { default } from 'anthropic-sdk-1.15.0';
