/** Safe readers of the data exchange: bytes of a user's file → rows or JSON entries (exchange-spec.md). */
export { readTable } from './table';
export { readPackage, readPackageContents } from './package';
export { fillMerged } from './merges';
export { MAX_COMPRESSION_RATIO, MAX_ENTRIES, MAX_INPUT_BYTES, MAX_TOTAL_UNCOMPRESSED_BYTES, RATIO_EXEMPT_BYTES } from '../../../common/exchange/limits';
export type { MergeRange, PackageContents, PackageInput, PackageWarning, RawCell, ReadTableOptions, SheetRow, TableEncoding, TableFile } from './types';
