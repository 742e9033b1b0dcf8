// esbuild's text loader turns each shaders/*.glsl import into its source string (tools/build-pages.js).
declare module '*.glsl' {
  const source: string;
  export default source;
}
