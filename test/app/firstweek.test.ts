/**
 * What a new coordinator met in a first week, on a real hub with the demo foundation's exports: the
 * rules behind each fix (R5, R12, R13), tested on the use cases.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { addException } from '../../src/app/exceptions.js';
import { editUser } from '../../src/app/users.js';
import { ScriptedPrompter, TestHub } from '../helpers/hub.js';
import { rejected } from '../helpers/errors.js';

const FATIMA = 'fatima.elamrani@waterlanden.nl';
let hub: TestHub;

async function nightOne(): Promise<TestHub> {
  hub = new TestHub().demoSources();
  await hub.night(1);
  hub.dayAfter(1);
  return hub;
}

afterEach(() => hub?.close());

describe('an email address belongs to one active account (R12: it is the match key)', () => {
  it("refuses another active account's address with EMAIL_TAKEN, naming the holder, even with --force", async () => {
    await nightOne();
    const jan = hub.store.account(hub.id('hr:10234'))!;
    const err = await rejected(() => editUser(hub.ctx({ yes: true }), 'hr:10395', { email: jan.email.toUpperCase() }, true));
    expect(err.code).toBe('EMAIL_TAKEN');
    expect(err.message).toContain(`#${jan.id} Jan de Vries`);
    expect(err.details).toMatchObject({ holders: [{ id: jan.id }] });
    expect(hub.store.account(hub.id('hr:10395'))!.email).toBe(FATIMA);
    expect(hub.store.accountsByEmail(jan.email)).toHaveLength(1);
  });

  it('accepts a free address, and the account keeping its own', async () => {
    await nightOne();
    const r = await editUser(hub.ctx(), 'hr:10395', { email: 'f.elamrani@waterlanden.nl' }, true);
    expect(r.changed).toEqual(['email']);
  });
});

describe('R13 on a listed account that a source still offers', () => {
  it('does not suggest the exception list, which cannot stop the overwrite (R5)', async () => {
    await nightOne();
    addException(hub.ctx(), FATIMA, { reason: 'Invalpool' });
    const prompt = new ScriptedPrompter({ confirm: [true] });
    await editUser(hub.ctx({ prompt }), FATIMA, { familyName: 'Amrani-Bakker' }, false);
    const warning = hub.warnings.join('\n');
    expect(warning).toContain('the next sync will overwrite this change');
    expect(warning).toContain('being on the exception list does not change that while a source offers it');
    expect(warning).not.toMatch(/put the account on the exception list/);
  });
});
