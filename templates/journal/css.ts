/**
 * Print CSS of the class journal and the summary ledgers, added after the layout's base CSS in
 * every chunk the volume printer prints. No @page size here: the printer chooses portrait or
 * landscape per section. Dense grids use PT Sans Narrow (shipped, main/print/fonts.ts).
 */
export const JOURNAL_CSS = `
.vol-title { text-align: center; font-family: 'PT Serif', 'Times New Roman', serif; }
.vol-title .school { font-size: 13pt; margin-top: 6mm; }
.vol-title .address { font-size: 9.5pt; margin-top: 2pt; }
.vol-title .doc { font-size: 26pt; font-weight: 700; letter-spacing: 2pt; margin-top: 42mm; }
.vol-title .what { font-size: 18pt; margin-top: 6mm; }
.vol-title .year { font-size: 15pt; margin-top: 3mm; }
.vol-title .facts { margin: 16mm auto 0; border-collapse: collapse; font-size: 11.5pt; text-align: left; }
.vol-title .facts td { padding: 1.5pt 6pt; vertical-align: top; }
.vol-title .facts td.label { color: #222; white-space: nowrap; }
.vol-title table.grid { margin-top: 10mm; font-size: 9pt; }
.vol-title table.grid td, .vol-title table.grid th { padding: 1pt 4pt; }

h2.section { font-family: 'PT Serif', 'Times New Roman', serif; font-size: 13pt; margin: 0 0 3pt; }
.part-title { font-family: 'PT Sans', Arial, sans-serif; font-size: 9pt; font-weight: 700; margin: 0 0 2pt; }
.part-title .cont { font-weight: 400; color: #333; }
.legend { font-family: 'PT Sans Narrow', 'Arial Narrow', Arial, sans-serif; font-size: 7.5pt; margin-top: 2pt; color: #222; }
.note-line { font-family: 'PT Sans', Arial, sans-serif; font-size: 9.5pt; margin: 3pt 0; }

/* The dense grids: narrow face, fixed columns, no row split, headers repeated on every page. */
table.dense { width: calc(100% - 1.5pt); border-collapse: collapse; table-layout: fixed;
  font-family: 'PT Sans Narrow', 'Arial Narrow', Arial, sans-serif; font-size: 8pt; line-height: 1.15; }
table.dense th, table.dense td { border: 0.6pt solid #000; padding: 0.8pt 1pt; text-align: center; vertical-align: middle;
  overflow: hidden; }
table.dense th { font-weight: 700; background: #ececec; }
table.dense td.name, table.dense th.name { text-align: left; padding-left: 2pt; }
table.dense td.name .note { font-size: 6.5pt; color: #333; margin-left: 2pt; white-space: nowrap; }
table.dense td.out { background: #d9d9d9; }
table.dense td.absent { font-style: italic; }
table.dense tr.total td { font-weight: 700; background: #f3f3f3; }
table.dense tr.count td { background: #f7f7f7; }
table.dense th.group { border-bottom-width: 0.6pt; }
table.dense th.vertical { height: 16mm; }
table.dense th.vertical div { transform: rotate(-90deg); white-space: nowrap; width: 16mm; margin-left: -6mm; }

/* The lessons pages: topics and homework wrap, the rest stays on one line. */
table.lessons { width: calc(100% - 1.5pt); border-collapse: collapse; table-layout: fixed;
  font-family: 'PT Sans Narrow', 'Arial Narrow', Arial, sans-serif; font-size: 8.5pt; line-height: 1.2; }
table.lessons th, table.lessons td { border: 0.6pt solid #000; padding: 1pt 3pt; vertical-align: top; text-align: left; }
table.lessons th { font-weight: 700; background: #ececec; text-align: center; vertical-align: middle; }
table.lessons td.c { text-align: center; white-space: nowrap; }

/* The movement ledger (portrait). */
table.movement { width: calc(100% - 1.5pt); border-collapse: collapse; font-family: 'PT Sans', Arial, sans-serif; font-size: 9pt; line-height: 1.2; }
table.movement th, table.movement td { border: 0.6pt solid #000; padding: 1.5pt 3pt; vertical-align: top; text-align: left; }
table.movement th { font-weight: 700; background: #ececec; text-align: center; vertical-align: middle; }
table.movement td.c { text-align: center; white-space: nowrap; }
table.movement tr.total td { font-weight: 700; }
.movement-block { margin-bottom: 8pt; }
.movement-count { font-family: 'PT Sans', Arial, sans-serif; font-size: 10pt; margin: 4pt 0; }
`;
