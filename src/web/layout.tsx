/** @jsxImportSource hono/jsx */
// The page frame every page shares (lang zh-CN, skip link, navigation by role, <main>) and the HTML error page.
import type { Child } from 'hono/jsx';
import { ROLE_NAMES } from '../services/policy.js';
import type { Principal } from '../services/ports.js';

export const SITE_NAME = '项目支出绩效自评工作台';

export interface LayoutProps {
  readonly title: string;
  readonly principal: Principal | null;
  /** load the live 试算 script */
  readonly script?: boolean;
  readonly children?: Child;
}

function Nav({ principal }: { principal: Principal | null }) {
  if (!principal) {
    return (
      <nav aria-label="主导航">
        <ul>
          <li><a href="/signin">登录</a></li>
          <li><a href="/docs">接口文档</a></li>
        </ul>
      </nav>
    );
  }
  return (
    <nav aria-label="主导航">
      <ul>
        <li><a href="/">首页</a></li>
        {principal.role === 'unit' ? (
          <>
            <li><a href="/evaluations/new">新建自评</a></li>
            <li><a href="/evaluations">我的自评</a></li>
            <li><a href="/drafts">草稿</a></li>
          </>
        ) : (
          <>
            <li><a href="/evaluations">全部评价</a></li>
            {principal.role === 'reviewer' ? <li><a href="/evaluations?pending=1">复核队列</a></li> : null}
          </>
        )}
        <li><a href="/rulesets">评分规则</a></li>
        {principal.role === 'bureau' ? <li><a href="/rulesets/publish">发布规则</a></li> : null}
        <li><a href="/docs">接口文档</a></li>
      </ul>
    </nav>
  );
}

export function Layout({ title, principal, script, children }: LayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - ${SITE_NAME}`}</title>
        <link rel="stylesheet" href="/assets/style.css" />
        {script ? <script src="/assets/try.js" defer></script> : null}
      </head>
      <body>
        <a class="skip" href="#main">跳到正文</a>
        <header class="site">
          <a class="brand" href="/">{SITE_NAME}</a>
          <Nav principal={principal} />
          {principal ? (
            <div class="who">
              <span>
                {ROLE_NAMES[principal.role]}
                {principal.unitId ? `（${principal.unitId}）` : ''}
              </span>
              <form method="post" action="/signout">
                <button type="submit">退出登录</button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}

export interface ErrorPageProps {
  readonly status: number;
  readonly message: string;
  readonly principal: Principal | null;
  readonly requestId?: string;
  readonly details?: readonly { path: string; message: string }[];
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: '请求有误',
  401: '需要登录',
  403: '无权访问',
  404: '页面或记录不存在',
  409: '冲突',
  413: '内容过大',
  415: '格式不支持',
  422: '内容有误',
  429: '请求过多',
  500: '服务器内部错误',
  503: '暂时无法保存',
  507: '存储空间已满',
};

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? '出错了';
}

export function ErrorPage({ status, message, principal, requestId, details }: ErrorPageProps) {
  return (
    <Layout title={statusTitle(status)} principal={principal}>
      <h1>
        {status} {statusTitle(status)}
      </h1>
      <p class="error-box" role="alert">{message}</p>
      {details && details.length > 0 ? (
        <ul>
          {details.map((d) => (
            <li>
              <code>{d.path}</code>：{d.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/">返回首页</a>
        {requestId ? <span class="muted">（请求编号 {requestId}）</span> : null}
      </p>
    </Layout>
  );
}
