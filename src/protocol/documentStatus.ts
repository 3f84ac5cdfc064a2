/** `initlint/documentStatus`: what the language server found in a document, for the editor's status item. */

export const DOCUMENT_STATUS_REQUEST = 'initlint/documentStatus';

export interface DocumentStatusParams {
  /** A Python document or a notebook cell (the answer covers the whole notebook). */
  uri: string;
}

/** Null when the server does not hold the document. */
export interface DocumentStatus {
  models: { name: string; layers: number }[];
  findings: number;
}
