/** A flag an export leaves out, and why: a rule or operator the target format cannot express. */
export interface FlagExportProblem {
  flag: string;
  code: 'flag-export.unmappable';
  message: string;
}

export const unmappable = (flag: string, message: string): FlagExportProblem => ({
  flag,
  code: 'flag-export.unmappable',
  message,
});
