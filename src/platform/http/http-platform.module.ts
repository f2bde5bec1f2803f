import { Global, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ProblemDetailsFilter } from './problem-details.filter.js';

/** Validation and error mapping shared by every route. */
@Global()
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        stopAtFirstError: false,
        // Values are echoed back in problem documents only as constraint messages, never raw.
        validationError: { target: false, value: false },
      }),
    },
  ],
})
export class HttpPlatformModule {}
