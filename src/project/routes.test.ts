import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { LineIndex } from './line-index.js';
import type { ParsedSource } from './project.js';
import { extractRoutes } from './routes.js';

function parse(path: string, text: string): ParsedSource {
  const result = parseSync(path, text);
  return { path, text, program: result.program, comments: result.comments, lineIndex: new LineIndex(text) };
}

describe('extractRoutes: decorator controllers', () => {
  it('reads NestJS controllers', () => {
    const source = parse('src/users.controller.ts', "import { Controller, Get } from '@nestjs/common';\n@Controller('users')\nexport class UsersController {\n  @Get(':id')\n  one() {}\n}\n");
    expect(extractRoutes(source, 'nestjs').map((route) => [route.method, route.path, route.style, route.decoratorLibrary, route.line])).toEqual([['GET', '/users/:id', 'nest-decorator', 'nestjs', 4]]);
  });

  it('reads routing-controllers @JsonController classes with the package framework', () => {
    const source = parse(
      'src/api/controllers/UserController.ts',
      "import { Body, Get, JsonController, Post } from 'routing-controllers';\n@JsonController('/users')\nexport class UserController {\n  @Get('/:id')\n  one() {}\n  @Post()\n  create(@Body() body: CreateUserBody) {}\n}\n",
    );
    expect(extractRoutes(source, 'express').map((route) => [route.method, route.path, route.framework, route.style, route.decoratorLibrary])).toEqual([
      ['GET', '/users/:id', 'express', 'controller-decorator', 'routing-controllers'],
      ['POST', '/users', 'express', 'controller-decorator', 'routing-controllers'],
    ]);
  });

  it('reads tsoa @Route classes, and ignores a @Route decorator of another library', () => {
    const tsoa = parse('src/users/usersController.ts', "import { Body, Controller, Get, Post, Route } from 'tsoa';\n@Route('users')\nexport class UsersController extends Controller {\n  @Get('{userId}')\n  public async getUser() {}\n}\n");
    expect(extractRoutes(tsoa, 'express').map((route) => [route.method, route.path, route.decoratorLibrary])).toEqual([['GET', '/users/{userId}', 'tsoa']]);
    const other = parse('src/menu.ts', "import { Route } from './menu-lib';\n@Route('home')\nexport class Home {\n  @Get('x')\n  open() {}\n}\n");
    expect(extractRoutes(other, 'express')).toEqual([]);
  });
});

describe('extractRoutes: Fastify route objects', () => {
  it('reads route objects kept in a list and registered in a loop, once each with the inline form', () => {
    const source = parse(
      'src/endpoints/auth/auth.routes.js',
      "const routes = [\n  { method: 'POST', url: '/login', schema: LoginSchema, handler: doLogin },\n  { method: ['GET', 'HEAD'], url: '/me', handler: getMe },\n];\nfastify.route({ method: 'DELETE', url: '/session', handler: deleteSession });\nconst options = { method: 'POST', url: 'not-a-path', handler: x };\nmodule.exports = routes;\n",
    );
    expect(extractRoutes(source, 'fastify').map((route) => [route.method, route.path, route.line])).toEqual([
      ['POST', '/login', 2],
      ['GET', '/me', 3],
      ['HEAD', '/me', 3],
      ['DELETE', '/session', 5],
    ]);
  });
});

describe('extractRoutes: outbound requests are not routes', () => {
  it('skips an HTTP client calling its own post() and a request body after the path, keeps handlers', () => {
    const source = parse(
      'src/lib/veriff/client.ts',
      "class VeriffClient extends HttpBaseClient {\n  createSession(input) {\n    return this.post('/sessions', { input, inputSchema });\n  }\n}\nawait api.post('/users', { name: 'a' });\napp.post('/login', { schema }, login);\napp.get('/me', { handler: me });\nrouter.post('/logout', logout);\n",
    );
    expect(extractRoutes(source, 'express').map((route) => [route.method, route.path, route.line])).toEqual([
      ['POST', '/login', 7],
      ['GET', '/me', 8],
      ['POST', '/logout', 9],
    ]);
  });
});
