import { describe, expect, it } from '@jest/globals';
import { thrown } from '../helpers/errors.js';
import { KeyResolver, normaliseName, requireColumns, resolveColumns } from '../../src/sources/headers.js';

describe('header names', () => {
  it('ignore case, surrounding spaces and square brackets', () => {
    expect(normaliseName('[Personeelsnummer]')).toBe('personeelsnummer');
    expect(normaliseName('  [ E-mailadres ] ')).toBe('e-mailadres');
    expect(normaliseName('First Name')).toBe('first name');
    expect(normaliseName('[a]b]')).toBe('[a]b]'.slice(1, -1).toLowerCase());
  });

  it('resolve fields by map, else by their own name', () => {
    const header = ['[Personeelsnummer]', 'EXTERNALID', 'givenname', 'Achternaam', 'Functie', ''];
    const { columns, unused } = resolveColumns(header, { externalId: 'personeelsnummer', familyName: ' achternaam ' }, 'hr.csv', 1);
    expect(columns.externalId).toBe(0);
    expect(columns.givenName).toBe(2);
    expect(columns.familyName).toBe(3);
    expect(columns.email).toBe(-1);
    expect(unused).toEqual(['EXTERNALID', 'Functie']);
  });

  it('one column may feed two fields', () => {
    const { columns } = resolveColumns(['email', 'naam'], { externalId: 'email' }, 'f', 1);
    expect(columns.externalId).toBe(0);
    expect(columns.email).toBe(0);
  });

  it('a duplicate header is invalid', () => {
    const err = thrown(() => resolveColumns(['externalId', 'Naam', '[naam]'], {}, 'f.csv', 1));
    expect(err.message).toBe('f.csv:1: duplicate column: "Naam" (column 2) and "[naam]" (column 3) have the same name');
  });

  it('required columns of a preset', () => {
    const idx = requireColumns(['SIS ID', 'first name'], 'Student.csv', 1, ['SIS ID', 'First Name'], ['Status']);
    expect(idx).toEqual({ 'SIS ID': 0, 'First Name': 1, Status: -1 });
    const err = thrown(() => requireColumns(['SIS ID'], 'Student.csv', 1, ['SIS ID', 'Last Name']));
    expect(err.message).toContain('Student.csv:1: no column "Last Name"; the columns are: SIS ID');
  });

  it('JSON keys resolve to fields, relations, or nothing', () => {
    const r = new KeyResolver({ externalId: 'Leerlingnummer', email: 'mail' });
    expect(r.fieldsOf('[LEERLINGNUMMER]')).toEqual(['externalId']);
    expect(r.fieldsOf('externalId')).toEqual([]);
    expect(r.fieldsOf('Mail')).toEqual(['email']);
    expect(r.fieldsOf('givenName')).toEqual(['givenName']);
    expect(r.fieldsOf('Relations')).toBeNull();
    expect(r.fieldsOf('foo')).toEqual([]);
    expect(r.unusedKeys).toEqual(['externalId', 'foo']);
  });
});
