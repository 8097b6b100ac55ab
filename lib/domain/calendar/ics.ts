/**
 * Calendar: iCalendar (RFC 5545 subset) import and export of freeze windows. ics-import and ics-export
 * map events to windows and back (X-CONVOY-* properties carry what iCalendar cannot say); ics-text is
 * the content-line layer. Windows and their schedules are ../freeze; recurrence rules (RRULE text) are
 * parsed there because windows keep them.
 */
export { parseIcs, type IcsImportOptions } from './ics-import.ts';
export { toIcs, CONVOY_PROPERTIES, type IcsExportOptions } from './ics-export.ts';
