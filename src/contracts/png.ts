/** PNG encoding of RGBA frames through pngjs (a well-kept pure-JS encoder). */
import pngjs from 'pngjs';

/** Encodes height × width × 4 RGBA bytes as a PNG file's bytes. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (rgba.length !== width * height * 4) {
    throw new Error(`encodePng: ${rgba.length} bytes do not hold a ${width}×${height} RGBA picture (${width * height * 4})`);
  }
  const png = new pngjs.PNG({ width, height, colorType: 6, inputColorType: 6, bitDepth: 8, inputHasAlpha: true });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return pngjs.PNG.sync.write(png);
}

/** Decodes a PNG file's bytes to RGBA (used by tests and tools). */
export function decodePng(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}
