/** Document URIs → file paths (only `file:` documents have a project configuration on disk). */
import { fileURLToPath } from 'node:url';

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
