import { Field, InputType, ObjectType, Int } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

@InputType()
export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @Field()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @Field()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;
}

@InputType()
export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Field()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty()
  @Field()
  @IsString()
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken: string;
}

@ObjectType('TokenPair')
export class TokenPairDto {
  @ApiProperty() @Field() accessToken: string;
  @ApiProperty() @Field() refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) @Field() tokenType: string;
  @ApiProperty({ description: 'Access token lifetime in seconds' })
  @Field(() => Int)
  expiresIn: number;
}

@ObjectType('Account')
export class AccountDto {
  @ApiProperty({ format: 'uuid' }) @Field() id: string;
  @ApiProperty() @Field() email: string;
  @ApiProperty({ enum: ['customer', 'admin'] }) @Field() role: string;
  @ApiProperty({ format: 'date-time' }) @Field() createdAt: string;
}
