/** @file safetensors: round trips, files written by another tool, and clear errors on broken files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '../../core/export/safetensors';
import { decodeUtf8, encodeUtf8 } from '../../core/util/utf8';

describe('safetensors', () => {
  it('round-trips f32, f64, i32 and u8 tensors with metadata', () => {
    const tensors = {
      'a.kernel': { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6.5]) },
      'a.bias': { shape: [3], data: new Float64Array([0.1, 0.2, 0.3]) },
      step: { shape: [], data: new Int32Array([42]) },
      mask: { shape: [2], data: new Uint8Array([0, 1]) },
    };
    const bytes = encodeSafetensors(tensors, { run: 'r1', 'engine': 'brrr 0.1.0' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ run: 'r1', engine: 'brrr 0.1.0' });
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name].shape).toEqual(t.shape);
      expect([...back.tensors[name].data]).toEqual([...t.data]);
    }
    expect(back.tensors['a.kernel'].dtype).toBe('F32');
    expect(back.tensors.step.dtype).toBe('I32');
  });

  it('loads a file written by another tool (F32, F16, I64)', () => {
    const file = decodeSafetensors(readFileSync(join(__dirname, '../fixtures/safetensors/torch-written.safetensors')));
    expect(file.metadata).toEqual({ format: 'pt', source: 'fixture' });
    expect([...file.tensors['dense.kernel'].data]).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    expect(file.tensors['dense.kernel'].shape).toEqual([2, 3]);
    expect([...file.tensors['dense.bias'].data]).toEqual([1.5, -2]);
    expect([...file.tensors.steps.data]).toEqual([7, -9, 11]);
  });

  it('names the file and the tensor when offsets do not match the shape', () => {
    const bytes = encodeSafetensors({ w: { shape: [2], data: new Float32Array([1, 2]) } });
    const header = encodeUtf8(JSON.stringify({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }));
    const broken = new Uint8Array(8 + header.length + 8);
    new DataView(broken.buffer).setBigUint64(0, BigInt(header.length), true);
    broken.set(header, 8);
    broken.set(bytes.subarray(bytes.length - 8), 8 + header.length);
    expect(() => decodeSafetensors(broken, 'weights.safetensors')).toThrow(/weights\.safetensors: tensor w has data offsets \[0, 8\]/);
    expect(() => decodeSafetensors(new Uint8Array(4), 'x.safetensors')).toThrow(SafetensorsError);
  });

  it('refuses mismatched shapes when writing', () => {
    expect(() => encodeSafetensors({ w: { shape: [3], data: new Float32Array(2) } })).toThrow(/shape \[3\] holds 3 values but 2/);
  });
});

describe('utf8', () => {
  it('matches the platform codec on mixed text', () => {
    const text = 'plain, ümlaut, 漢字, emoji 🧠';
    expect([...encodeUtf8(text)]).toEqual([...new TextEncoder().encode(text)]);
    expect(decodeUtf8(new TextEncoder().encode(text))).toBe(text);
    expect(decodeUtf8(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });
});
