// wgsl_reflect's `main` (a CommonJS build under "type": "module") does not load in
// Node; the tests import its ES module build directly, typed as the package.
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
