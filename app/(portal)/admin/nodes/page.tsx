import type { Metadata } from "next";
import Link from "next/link";
import { NodeStatus } from "@/components/admin/node-status";
import { ADMIN } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "账本节点 Ledger nodes" };

export default async function NodesPage() {
  await requireAccess(ADMIN, "/admin/nodes");
  const { locale } = await getDictionary();
  const en = locale === "en";
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/admin">Admin</Link>
          </div>
          <h1>{en ? "Ledger nodes" : "账本节点"}</h1>
          <p>{en ? "Regional nodes, their heights and signatures, and any node whose stored history differs from the quorum-signed chain." : "各地区节点的区块高度、签名与最终确认；存储历史与多数签名链不一致的节点会被标出。"}</p>
        </div>
      </div>
      <NodeStatus />
    </>
  );
}
