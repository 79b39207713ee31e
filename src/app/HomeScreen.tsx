import { StoragePanel } from './StoragePanel';

/** The first screen: what this station does, and the (still empty) list of its cases. */
export function HomeScreen() {
  return (
    <div className="home">
      <section className="panel" aria-labelledby="about-title">
        <h2 id="about-title">本站办理什么</h2>
        <p>
          本应用供苏木乡镇（街道）一门受理窗口和嘎查村（社区）摸排人员使用，为未参加或中断了基本养老保险、基本医疗保险的退役士兵办理社会保险接续。断网时照常受理，记录保存在本机，联网后同步至旗县区退役军人事务局。
        </p>
        <ul className="duties">
          <li>
            <strong>参保登记</strong>
            <span>入伍时未参保的，入伍时间视为首次参保时间。</span>
          </li>
          <li>
            <strong>军龄认定</strong>
            <span>2012年7月1日前退役的，军龄视同基本养老、基本医疗保险缴费年限。</span>
          </li>
          <li>
            <strong>补缴中断</strong>
            <span>基本养老保险欠缴、断缴的，可按不超过本人军龄的年限补缴，免收滞纳金。</span>
          </li>
        </ul>
      </section>

      <section className="panel" aria-labelledby="cases-title">
        <h2 id="cases-title">受理记录</h2>
        <div className="empty-state">
          <p className="empty-title">尚无受理记录</p>
          <p className="empty-hint">本机登记的受理记录将列在这里，联网后同步至县局。</p>
        </div>
      </section>

      <StoragePanel />
    </div>
  );
}
