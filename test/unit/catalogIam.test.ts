// The catalog against AWS's own action data (src/core/iamActions.generated.ts): every action
// exists, and each level's actions have the access level AWS gives them, except where the
// catalog says why not.
import * as assert from 'node:assert/strict';
import { accessLevels, catalog, getActions, getIamPrefix, levelsOf, serviceIds } from '../../src/core/catalog';
import { expandAction, iamLevelNames } from '../../src/core/iamActions';

describe('catalog against AWS IAM data', () => {
  it('names only actions AWS has; every wildcard stands for at least one', () => {
    for (const id of serviceIds) {
      for (const level of accessLevels) {
        for (const entry of catalog[id].actions[level]) {
          assert.equal(entry.split(':')[0], getIamPrefix(id), `${entry} is not a ${getIamPrefix(id)} action`);
          const found = expandAction(entry);
          assert.ok(found.length > 0, `${id} ${level}: AWS has no action ${entry}`);
          if (!/[*?]/.test(entry))
            assert.deepEqual(
              found.map((a) => a.action),
              [entry],
              `${entry} is spelled as AWS spells it`,
            );
        }
      }
    }
  });

  it("gives each level's own actions AWS's access levels for it (read: List/Read; write: Write/Tagging), or says why not", () => {
    const disagreements: string[] = [];
    for (const id of serviceIds) {
      const exceptions = catalog[id].levelExceptions ?? {};
      for (const level of ['read', 'write'] as const) {
        const allowed = level === 'read' ? levelsOf.read : [...levelsOf.read, ...levelsOf.write];
        for (const entry of catalog[id].actions[level]) {
          for (const action of expandAction(entry)) {
            const aws = iamLevelNames[action.level];
            const fits = level === 'read' ? allowed.includes(aws) : levelsOf.write.includes(aws);
            if (!fits && !(action.action in exceptions))
              disagreements.push(`${action.action}: AWS says ${aws}, the catalog ${level}`);
          }
        }
      }
    }
    assert.deepEqual(disagreements, []);
  });

  it('keeps each documented disagreement real (AWS still classes it otherwise)', () => {
    const receive = expandAction('sqs:ReceiveMessage')[0];
    assert.equal(receive?.level, 'R', 'AWS classes sqs:ReceiveMessage as Read');
    assert.ok(
      getActions('sqs', 'write').includes('sqs:ReceiveMessage') &&
        !getActions('sqs', 'read').includes('sqs:ReceiveMessage'),
    );
    for (const id of serviceIds) {
      for (const [action, why] of Object.entries(catalog[id].levelExceptions ?? {})) {
        assert.ok(why.length > 20, `${action}: say why`);
        const level = accessLevels.find((l) => catalog[id].actions[l].includes(action));
        const aws = iamLevelNames[expandAction(action)[0]?.level ?? 'L'];
        assert.ok(
          level && !levelsOf[level].includes(aws),
          `${action} agrees with AWS now (${aws}): drop the exception`,
        );
      }
    }
  });

  it('keeps scoped only List actions AWS lets you call without a resource', () => {
    for (const id of serviceIds) {
      for (const action of Object.keys(catalog[id].keepScoped ?? {})) {
        const [found] = expandAction(action);
        assert.equal(found?.level, 'L', action);
        assert.ok(found.resourceTypes.length > 0 && found.resourceTypes.every((t) => !t.required), action);
      }
    }
  });
});
