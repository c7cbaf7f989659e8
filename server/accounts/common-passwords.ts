/**
 * Passwords and base words that top every public list of leaked passwords (the RockYou, LinkedIn
 * and Adobe dumps as summarised by SecLists' "10k most common", NCSC's "100k-most-used" and
 * Have I Been Pwned's most-seen entries), written out from memory: a few hundred entries, not the
 * full 10,000, because Pulse cannot download one at build time. It is checked after lower-casing,
 * undoing common letter-for-digit swaps and stripping digits and symbols from both ends, so
 * `P@ssw0rd2024!` is caught by `password`; `password-policy.ts` adds pattern checks on top.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `
password passw0rd passwd pass word secret letmein welcome welcome1 login admin administrator root toor
qwerty qwertyuiop qwertyui qwertz azerty asdf asdfgh asdfghjk asdfghjkl zxcvbn zxcvbnm qazwsx qazwsxedc
1qaz2wsx 1q2w3e4r 1q2w3e4r5t zaq12wsx trustno trustnoone iloveyou iloveu loveyou lovely love
monkey dragon master shadow sunshine princess football baseball basketball soccer hockey golf tennis
superman batman spiderman starwars pokemon naruto mustang ferrari porsche corvette harley yamaha
michael jennifer jordan hunter ranger buster soccer thomas robert daniel andrew joshua matthew anthony
charlie jessica ashley amanda nicole michelle daniel david george william richard joseph charles
freedom whatever nothing something anything everything computer internet network server system
killer hello hellohello hello123 abc abcd abcdef abcdefg abcdefgh abcdefghij abc123 abcabc
cheese cookie chocolate pepper ginger summer winter autumn spring flower flowers butterfly
tigger tiger lion eagle falcon phoenix wolf bear bulldog doggie puppy kitten kitty
killer jordan23 michael1 liverpool chelsea arsenal manchester barcelona realmadrid juventus
yankees cowboys lakers steelers packers eagles patriots raiders redskins dolphins
letmeinnow openup opensesame changeme changeit default guest user test tester testing test123
temp temporary unknown private public access accessdenied security secure passport
mypassword mypass yourpassword newpassword oldpassword password1 password12 password123 password1234
passwordpassword pass1234 pass12345 passpass mysecret topsecret supersecret
iloveyou1 iloveyou2 loveme lovers lover baby babygirl babyboy angel angels blessed
jesus christ god heaven faith hope grace trinity
matrix neo morpheus gandalf frodo hobbit zelda mario luigi sonic pikachu
qwerty123 qwerty1234 qwertyuiop123 asdf1234 zxcv1234 1qazxsw2 qweasdzxc qweasd
monkey123 dragon123 master123 shadow123 sunshine123 princess123 football123 baseball123
welcome123 admin123 administrator1 root123 login123 letmein123 hello1234
money cash dollar dollars rich million millionaire billion bitcoin crypto ethereum trading trader
stocks stock market invest investor investing wallstreet nasdaq finance broker alpaca pulse
pulsepulse pulsetrading tradingview robinhood
michael123 jordan123 charlie123 hunter123 hunter2 buster123 thomas123 ashley123
blink182 metallica slipknot nirvana beatles eminem rockstar rocknroll
mercedes bmw audi toyota honda nissan volkswagen ford chevrolet jeep
america usa canada london paris berlin newyork california texas florida chicago
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
spring summer autumn fall winter
red blue green yellow orange purple black white silver golden
apple banana orange mango cherry strawberry pineapple
samsung iphone android google facebook twitter linkedin microsoft windows linux ubuntu
letmein1 welcome2 welcome12 summer2024 winter2024 spring2024 autumn2024 summer2025 winter2025
password2024 password2025 password2026 company company123 business office
qwertyqwerty asdfasdf zxcvzxcv abcdabcd 123abc abc12345
aaaaaa aaaaaaaa asdasd asdasdasd qweqwe qweqweqwe zxczxc
111111 1111111 11111111 000000 00000000 121212 123123 123321 654321 666666 696969 777777 7777777
112233 123qwe 123456 1234567 12345678 123456789 1234567890 0123456789 0987654321 987654321
12341234 123456789a a123456 a12345678 q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6
superstar starlight moonlight sunlight midnight darkness darkside
slayer warrior ninja samurai knight wizard legend champion winner
fuckyou fuckoff asshole bitch shit
sexy hottie lovelove kisses
family forever together friends bestfriend
mother father mommy daddy sister brother
student teacher school college university
letmein! welcome!
`
    .split(/\s+/)
    .filter((w) => w !== ''),
);
