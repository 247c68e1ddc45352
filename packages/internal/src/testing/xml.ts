/**
 * A small XML well-formedness check for the SVG charts (no dependency): one root element,
 * tags balanced and properly nested, attributes quoted and unique, entities known or numeric,
 * no stray `<` or `&`. Returns the problems found (empty when well-formed) and the elements
 * seen (text and attributes decoded), for tests that look for a legend or axis labels.
 */
export interface XmlCheck {
  problems: string[];
  /** Every element: its name, attributes and direct text. */
  elements: { name: string; attributes: Record<string, string>; text: string }[];
}

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /^&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Decodes the five XML entities and numeric references. */
function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : NAMED[e]!,
  );
}

export function checkXml(text: string): XmlCheck {
  const problems: string[] = [];
  const elements: XmlCheck['elements'] = [];
  const stack: XmlCheck['elements'][number][] = [];
  let roots = 0;
  let i = 0;
  const checkText = (t: string, at: number) => {
    for (let k = t.indexOf('&'); k >= 0; k = t.indexOf('&', k + 1)) {
      if (!ENTITY.test(t.slice(k))) problems.push(`bad entity at ${at + k}`);
    }
    if (t.includes('<')) problems.push(`stray < at ${at}`);
  };
  if (text.startsWith('<?xml')) i = text.indexOf('?>') + 2;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    checkText(chunk, i);
    if (stack.length > 0) stack.at(-1)!.text += decode(chunk);
    else if (chunk.trim() !== '') problems.push(`text outside the root at ${i}`);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      if (end < 0) problems.push('unterminated comment');
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt < 0) {
      problems.push(`unterminated tag at ${lt}`);
      break;
    }
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open?.name !== name) problems.push(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([^\s/>]+)([\s\S]*)$/.exec(body);
    const name = m?.[1] ?? '';
    if (!NAME.test(name)) problems.push(`bad element name "${name}" at ${lt}`);
    const attributes: Record<string, string> = {};
    const rest = (m?.[2] ?? '').trim();
    const attr = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')\s*/y;
    let pos = 0;
    while (pos < rest.length) {
      attr.lastIndex = pos;
      const a = attr.exec(rest);
      if (!a) {
        problems.push(`bad attribute syntax in <${name}> at ${lt}`);
        break;
      }
      const key = a[1]!;
      if (key in attributes) problems.push(`duplicate attribute ${key} in <${name}>`);
      const value = a[3] ?? a[4] ?? '';
      checkText(value, lt);
      attributes[key] = decode(value);
      pos = attr.lastIndex;
    }
    const el = { name, attributes, text: '' };
    elements.push(el);
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.map((e) => e.name).join('> <')}>`);
  if (roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return { problems, elements };
}
