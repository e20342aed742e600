// Reading what the server exports: zip archives (several CSV files of one output) and
// the engine's CSV files (a "#" line of metadata, a header, rows of numbers).

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;

/** True when the bytes are a zip archive. */
export function isZip(buffer) {
  return buffer.byteLength >= 4 && new DataView(buffer).getUint32(0, true) === LOCAL_HEADER;
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The members of a zip archive as [{name, bytes}] (stored or deflated members). */
export async function unzip(buffer) {
  const view = new DataView(buffer);
  let end = -1;
  for (let i = buffer.byteLength - 22; i >= Math.max(0, buffer.byteLength - 65557); i--) {
    if (view.getUint32(i, true) === END_OF_CENTRAL) { end = i; break; }
  }
  if (end < 0) throw new Error('not a zip archive');
  const count = view.getUint16(end + 10, true);
  let pos = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const members = [];
  for (let n = 0; n < count; n++) {
    if (view.getUint32(pos, true) !== CENTRAL_HEADER) throw new Error('damaged zip archive');
    const method = view.getUint16(pos + 10, true);
    const size = view.getUint32(pos + 20, true);
    const nameLength = view.getUint16(pos + 28, true);
    const extraLength = view.getUint16(pos + 30, true);
    const commentLength = view.getUint16(pos + 32, true);
    const local = view.getUint32(pos + 42, true);
    const name = decoder.decode(new Uint8Array(buffer, pos + 46, nameLength));
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = new Uint8Array(buffer, start, size);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression`);
    members.push({ name, bytes: method === 8 ? await inflate(raw) : raw.slice() });
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** The cells of CSV lines (double quotes around cells with commas or quotes). */
export function csvRows(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

/** The key='value' pairs of the engine's "#" metadata cell. */
function metadata(cells) {
  const meta = {};
  const text = cells.join(',');
  for (const m of text.matchAll(/(\w+)=(?:'([^']*)'|([^,\s]+))/g)) {
    meta[m[1]] = m[2] !== undefined ? m[2] : m[3];
  }
  return meta;
}

/**
 * An engine CSV file as {name, meta, header, rows}: ``meta`` from the leading "#" line,
 * ``rows`` arrays of numbers (NaN where a cell is not a number).
 */
export function parseCsv(name, text) {
  const lines = csvRows(text);
  let meta = {};
  if (lines.length && lines[0][0].startsWith('#')) meta = metadata(lines.shift());
  const header = lines.shift() || [];
  const rows = lines.map((cells) => cells.map(Number));
  return { name, meta, header, rows };
}

/** The CSV files of an export (one CSV, or a zip of several) as parsed tables. */
export async function csvTables(buffer, fallbackName) {
  const decoder = new TextDecoder();
  const members = isZip(buffer) ? await unzip(buffer)
    : [{ name: fallbackName, bytes: new Uint8Array(buffer) }];
  return members.filter((m) => m.name.endsWith('.csv'))
    .map((m) => parseCsv(m.name, decoder.decode(m.bytes)));
}
