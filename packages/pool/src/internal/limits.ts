/**
 * Capacity bound of a `StructArray`: keeps every element index (`capacity * sizeOf / size`) a
 * small integer. Its own module so struct-type.ts and struct-array.ts, which use each other's
 * classes, do not import each other's values.
 */
export const MAX_RECORDS = 2 ** 30;
