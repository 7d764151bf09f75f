/**
 * Which new passwords the portal accepts: at least 8 characters (NIST SP 800-63B's floor, which keeps the
 * documented demo password valid) and not a password attackers try first. Length alone lets `12345678` and
 * `password` through; a short list of the most common ones and trivially guessable shapes closes that.
 */

// The most common leaked passwords of 8+ characters (public breach-corpus top lists), lower-cased.
const COMMON = new Set(
  `12345678 123456789 1234567890 12345678910 123123123 11111111 00000000 88888888 66666666 99999999
  87654321 98765432 11223344 12341234 123321123 147258369 159357456 741852963 963852741 1qaz2wsx 1q2w3e4r
  1q2w3e4r5t 1qazxsw2 q1w2e3r4 qwer1234 1234qwer zaq12wsx zxcvbnm1 qwertyui qwertyuiop asdfghjk asdfghjkl
  zxcvbnm123 qwerty12 qwerty123 qwerty1234 asdf1234 abcd1234 abc12345 abc123456 a1234567 a12345678
  aa123456 aa12345678 password password1 password12 password123 password! passw0rd p@ssw0rd p@ssword
  pa55word password1! iloveyou iloveyou1 woaini1314 woaini520 5201314520 1314520521 wo123456 admin123
  admin1234 admin@123 admin12345 administrator root1234 root@123 letmein1 welcome1 welcome123 changeme
  changeme123 sunshine princess football baseball basketball superman batman123 dragon123 monkey123
  trustno1 starwars whatever computer internet michael1 jennifer master123 shadow123 killer123 jordan23
  zhang123 wang1234 li123456 qq123456 qq5201314 taobao123 baidu123 huawei123 xiaomi123 china123
  beijing123 shenzhen shenzhen123 guangzhou 1234abcd abcdefgh abcdefg1 aaaaaaaa asdasdasd qweqweqwe
  zxczxczxc q1w2e3r4t5 1a2b3c4d 123qweasd qweasdzxc qazwsxedc 1qaz2wsx3edc test1234 test123456 guest123
  user1234 demo1234 secret123 hello123 hello1234 lovely123 12qwaszx 123abc123 abc123abc 1234567a
  1234567q 123456aa 123456qq 123456abc 123456789a 12345678a 12345qwert`.split(/\s+/).filter(Boolean),
);

/** @returns why a password is refused (zh + en), or null when it is acceptable. */
export function passwordWeakness(password: string): string | null {
  if (password.length < 8) return "密码至少 8 位 at least 8 characters";
  const lower = password.normalize("NFKC").toLowerCase();
  if (COMMON.has(lower)) return "这是最常见的密码之一，请换一个 this is one of the most common passwords; choose another";
  if (/^(.)\1+$/.test(lower)) return "密码不能是同一字符重复 a password cannot be one repeated character";
  if (/^\d+$/.test(lower) && isRun(lower)) return "密码不能是连续数字 a password cannot be a run of digits";
  return null;
}

// 12345678…, 98765432…: each digit one more (or less) than the last.
function isRun(digits: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < digits.length; i++) steps.add((digits.charCodeAt(i) - digits.charCodeAt(i - 1) + 10) % 10);
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}
