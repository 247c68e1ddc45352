/** A copy of `array` with `capacity` elements; the new tail is filled with `fill`. */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(
  array: T,
  capacity: number,
  fill = 0,
): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}
