/** The byte message number `seq` of the byte-ring tests: length and content derived from seq. */
export const messageOf = (seq: number): Uint8Array => {
  const out = new Uint8Array((seq * 7) % 300);
  for (let i = 0; i < out.length; i++) out[i] = (seq + i) & 0xff;
  return out;
};
