/** Document URIs → file paths (only `file:` documents have a project configuration on disk). */
import { fileURLToPath, pathToFileURL } from 'node:url';

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** A file path's `file:` URI (a module no editor has open is published under it). */
export function fileUriOf(path: string): string {
  return pathToFileURL(path).href;
}
