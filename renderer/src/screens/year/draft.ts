/** The draft of a year's structure lives in common/ (tests hold it against the server). */
export * from '../../../../common/domain/year-draft';
