/**
 * The PDF's document information (Title, Author, Subject, Keywords, Creator). Chromium writes
 * only the Title (from <title>) and its own user agent as Creator, so the rest is added here in
 * plain JS (no pdf-lib) as an incremental update: a new Info object, a one-entry xref section
 * and a trailer pointing back to the previous one. The original bytes stay untouched.
 */

export interface PdfInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
}

/** A PDF text string: UTF-16BE with a byte-order mark, written as hex. */
function pdfText(value: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < value.length; i += 1) hex += value.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

/** D:YYYYMMDDHHmmSS+00'00' (UTC). */
function pdfDate(at: Date): string {
  const iso = at.toISOString();
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00')`;
}

/**
 * Returns the PDF with its Info dictionary replaced, or the PDF unchanged when its trailer is
 * not a classic one this function can follow (never a broken file).
 */
export function setPdfInfo(pdf: Buffer, info: PdfInfo, at: Date = new Date()): Buffer {
  const tail = pdf.subarray(Math.max(0, pdf.length - 4096)).toString('latin1');
  const startxrefAt = tail.lastIndexOf('startxref');
  const trailerAt = tail.lastIndexOf('trailer');
  if (startxrefAt < 0 || trailerAt < 0 || trailerAt > startxrefAt) return pdf;
  const prev = /startxref\s+(\d+)/.exec(tail.slice(startxrefAt))?.[1];
  const trailer = tail.slice(trailerAt, startxrefAt);
  const size = /\/Size\s+(\d+)/.exec(trailer)?.[1];
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  if (!prev || !size || !root) return pdf;
  const created = /\/CreationDate\s*(\([^)]*\))/.exec(pdf.subarray(0, 4096).toString('latin1'))?.[1] ?? pdfDate(at);
  const producer = /\/Producer\s*(\([^)]*\))/.exec(pdf.subarray(0, 4096).toString('latin1'))?.[1] ?? '(Skia/PDF)';

  const objectNumber = Number(size);
  const separator = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  const objectOffset = pdf.length + separator.length;
  const object =
    `${objectNumber} 0 obj\n<</Title ${pdfText(info.title)}\n/Author ${pdfText(info.author)}\n/Subject ${pdfText(info.subject)}\n` +
    `/Keywords ${pdfText(info.keywords)}\n/Creator ${pdfText(info.creator)}\n/Producer ${producer}\n/CreationDate ${created}\n/ModDate ${pdfDate(at)}>>\nendobj\n`;
  const xrefOffset = objectOffset + Buffer.byteLength(object, 'latin1');
  const update =
    `${separator}${object}xref\n${objectNumber} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<</Size ${objectNumber + 1}\n/Root ${root}\n/Info ${objectNumber} 0 R\n/Prev ${prev}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}
