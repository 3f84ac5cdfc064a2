/**
 * A user's input sample for the probe, from bytes or text (reading files is the host's job):
 * NumPy `.npy` (float32/float64/int, C order, any rank; rows along the first axis) and numeric `.csv`
 * (one row per line; a non-numeric first line is taken as a header).
 */
import type { InputSample } from './build';

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

const DTYPES: Record<string, { bytes: number; read: (view: DataView, offset: number, little: boolean) => number }> = {
  f4: { bytes: 4, read: (view, offset, little) => view.getFloat32(offset, little) },
  f8: { bytes: 8, read: (view, offset, little) => view.getFloat64(offset, little) },
  i4: { bytes: 4, read: (view, offset, little) => view.getInt32(offset, little) },
  i8: { bytes: 8, read: (view, offset, little) => Number(view.getBigInt64(offset, little)) },
  u1: { bytes: 1, read: (view, offset) => view.getUint8(offset) },
};

export function parseNpy(bytes: Uint8Array): InputSample {
  if (!NPY_MAGIC.every((byte, i) => bytes[i] === byte)) throw new Error('not a .npy file (bad magic string)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([<>|=])(\w\d)'/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shapeText) throw new Error(`unreadable .npy header: ${header.trim()}`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error('.npy arrays in Fortran order are not supported');
  const dtype = DTYPES[descr[2]];
  if (!dtype) throw new Error(`.npy dtype '${descr[2]}' is not supported (float32, float64, int32, int64, uint8 are)`);
  const shape = shapeText[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.length < 2) throw new Error(`the .npy sample needs rows (a 2D or higher array), got shape (${shape.join(', ')})`);
  const size = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (bytes.byteLength - dataStart < size * dtype.bytes) throw new Error('.npy file is shorter than its shape says');
  const little = descr[1] !== '>';
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = dtype.read(view, dataStart + i * dtype.bytes, little);
  return { values, shape };
}

export function parseCsv(text: string): InputSample {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  const rows = lines.map((line) => line.split(/[,;\t]/).map((cell) => Number(cell.trim())));
  if (rows.length && rows[0].some(Number.isNaN)) rows.shift();
  if (!rows.length) throw new Error('the .csv sample has no numeric rows');
  const width = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== width) throw new Error(`.csv row ${i + 1} has ${row.length} values, the first has ${width}`);
    if (row.some(Number.isNaN)) throw new Error(`.csv row ${i + 1} holds a value that is not a number`);
  });
  return { values: Float32Array.from(rows.flat()), shape: [rows.length, width] };
}

/** By file name: `.npy` as bytes, anything else as CSV text. */
export function parseSample(fileName: string, bytes: Uint8Array): InputSample {
  return /\.npy$/i.test(fileName) ? parseNpy(bytes) : parseCsv(new TextDecoder().decode(bytes));
}
