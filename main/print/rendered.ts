import type { ParsedParams } from '../../common/api/contract';
import type { Loaded } from './documents';

/** A document ready for the PDF engine: its data and metadata, its HTML, its orientation. */
export interface Rendered {
  loaded: Loaded<unknown>;
  html: string;
  landscape: boolean;
  /** A printout of many (consent forms, weekly extracts): how many separate documents it holds. */
  documents?: number;
}

export type PrintableDocument = ParsedParams<'print.document'>['document'];
export type DocumentOfKind<K extends PrintableDocument['kind']> = Extract<PrintableDocument, { kind: K }>;
