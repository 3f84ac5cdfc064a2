// A stand-in for @tensorflow/tfjs's types, so the examples type-check without installing it.
// InitLint itself reads the source syntactically and does not need them.
declare module '@tensorflow/tfjs' {
  export type Sequential = any;
  export type LayersModel = any;
  export type SymbolicTensor = any;
  export const sequential: any;
  export const model: any;
  export const input: any;
  export const layers: any;
  export const initializers: any;
}
