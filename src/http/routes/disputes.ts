// /v1/evaluations/{id}/disputes: 申诉 and their answers (the policy says who may raise and who may answer).
import { answerDispute, listDisputes, raiseDispute } from '../../services/disputes.js';
import { principalOf } from '../auth.js';
import { readJsonBody } from '../body.js';
import type { Handlers } from './handler.js';

export const disputeHandlers: Handlers<'listDisputes' | 'raiseDispute' | 'answerDispute'> = {
  listDisputes: async (c) => c.json({ disputes: await listDisputes(c.get('deps'), principalOf(c), c.req.param('id')!) }),
  raiseDispute: async (c) => c.json(await raiseDispute(c.get('deps'), principalOf(c), c.req.param('id')!, await readJsonBody(c)), 201),
  answerDispute: async (c) =>
    c.json(await answerDispute(c.get('deps'), principalOf(c), c.req.param('id')!, c.req.param('disputeId')!, await readJsonBody(c)), 201),
};
