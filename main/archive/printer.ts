import type { VolumeDocument } from '../../common/api/archive-contract';
import type { Db } from '../../db/connection';
import { loadVolumeSource } from '../print/volume-sources';
import { printVolume, type PrintedVolume, type PrintVolumeOptions } from '../print/volume/print-volume';
import type { VolumeSource } from '../print/volume/source';

/**
 * What the register needs from the documents and the volume printer: load a document as a
 * volume source, print it into a file. The real pair is the documents' `loadVolumeSource` and
 * the volume printer's `printVolume`; tests of the register's own rules (numbers, versions,
 * signatures, copies) may swap in a fast printer of small synthetic PDFs.
 */
export interface ArchivePrinter {
  loadSource(db: Db, document: VolumeDocument, today: string): Promise<VolumeSource>;
  printVolume(source: VolumeSource, options: PrintVolumeOptions): Promise<PrintedVolume>;
}

export const realArchivePrinter: ArchivePrinter = { loadSource: loadVolumeSource, printVolume };

let current: ArchivePrinter = realArchivePrinter;

export function archivePrinter(): ArchivePrinter {
  return current;
}

/** Tests only: prints with another printer until the returned function restores the real one. */
export function useArchivePrinter(printer: ArchivePrinter): () => void {
  current = printer;
  return () => {
    current = realArchivePrinter;
  };
}
