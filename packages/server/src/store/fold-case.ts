/**
 * How `type`, `source` and `subject` are folded for case-insensitive filters: in JavaScript,
 * never in SQL, so the folded columns and the filter values fold the same way on both engines
 * (SQLite's lower() folds ASCII only; PostgreSQL's follows the database locale).
 */
export const foldCase = (value: string): string => value.toLowerCase();
