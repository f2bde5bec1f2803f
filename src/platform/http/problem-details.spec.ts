import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ForbiddenError, InvalidInputError } from '../errors/common-errors.js';
import { toProblem } from './problem-details.js';

describe('toProblem', () => {
  it('maps domain errors by kind, keeping their code and message', () => {
    const { problem, unexpected } = toProblem(new ForbiddenError());
    expect(unexpected).toBe(false);
    expect(problem).toMatchObject({ status: 403, code: 'auth.forbidden', title: 'Forbidden' });
    expect(
      toProblem(new InvalidInputError('x.bad', 'bad x', { field: 'x' })).problem,
    ).toMatchObject({
      status: 400,
      code: 'x.bad',
      field: 'x',
    });
  });

  it('lists validation messages', () => {
    const { problem } = toProblem(new BadRequestException(['name must be a string']));
    expect(problem).toMatchObject({
      status: 400,
      code: 'request.invalid',
      errors: ['name must be a string'],
    });
    expect(toProblem(new NotFoundException()).problem.status).toBe(404);
  });

  it('passes framework 4xx errors through with their status', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(toProblem(tooLarge).problem).toMatchObject({
      status: 413,
      code: 'request.body_too_large',
    });
  });

  it('never leaks an unexpected error', () => {
    const { problem, unexpected } = toProblem(new Error('password=hunter2 at /srv/app.js:1'));
    expect(unexpected).toBe(true);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(JSON.stringify(problem)).not.toContain('app.js');
  });
});
