/** The data of the volume's own pages (cover, contents, certification sheet): plain, no Node. */
import type { SchoolHeader } from '../types';

/** A sealed volume as the register records it: what its cover shows and the destruction act lists. */
export interface VolumeRecord {
  archiveNo: string;
  /** 2 and up when the volume replaces a sealed one. */
  version: number;
  title: string;
  yearName: string;
  /** Крайние даты (ISO). */
  dateFrom: string;
  dateTo: string;
  sheets: number;
  retentionYears: number;
  /** ISO date after which the volume may be destroyed. */
  destroyAfter: string;
}

export interface VolumeCoverData extends VolumeRecord {
  school: SchoolHeader;
}

export interface ContentsEntry {
  heading: string;
  /** The page the entry starts on, as printed (a placeholder in the first pass). */
  page: string;
}

export interface ContentsData {
  title: string;
  entries: ContentsEntry[];
}

export interface CertificationData {
  school: SchoolHeader;
  certificationNoun: 'журнале' | 'деле';
  sheets: number;
  /** The date of certification (ISO). */
  date: string;
  /** The archive number and version when printed as a volume. */
  archive: { archiveNo: string; version: number } | null;
  keyFingerprint: string | null;
  /** Pages of the document in the volume, and whether it is printed on both sides. */
  pages: number;
  duplex: boolean;
  /** Whether the cover and this sheet are in the number (the setting). */
  countCoverAndCertification: boolean;
  asVolume: boolean;
}
