// The manifest site/integrations/pyodide.ts provides to the Python cell at build time.
declare module 'virtual:wasmstep/pyodide' {
  const manifest: {
    readonly version: string;
    readonly python: string;
    readonly files: readonly { readonly name: string; readonly bytes: number }[];
  };
  export default manifest;
}
