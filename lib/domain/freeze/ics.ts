/** iCalendar import and export of freeze windows (RFC 5545 subset). */
export { parseIcs, type IcsImportOptions } from './ics-import.ts';
export { toIcs, CONVOY_PROPERTIES, type IcsExportOptions } from './ics-export.ts';
