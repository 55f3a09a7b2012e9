/*
 * knowledge/classify.c - from status, reply code and diagnostic text to a reason
 *
 * SYNOPSIS	void bounce_classify_recipient (BounceRecipient *rcpt, BounceKind kind);
 * DESCRIPTION	The reason is decided by the first of these that applies:
 *		 0. the kind of report (complaint, auto-reply, success DSN);
 *		 1. a reason a detector already set (kept, folded to its
 *		    current name);
 *		 2. a specific phrase of the diagnostic text ("mailbox full",
 *		    "relay access denied", "spamhaus", ...);
 *		 3. a specific enhanced status code (5.1.1, 5.2.2, 5.7.26, ...);
 *		 4. a generic phrase ("does not exist", "quota", ...);
 *		 5. any other status code row (5.7.1, 5.4.0, ...), except
 *		    the x.0.0 rows that only say "undefined";
 *		 6. a word that only says no ("rejected", "access denied");
 *		 7. an x.0.0 status (undefined), or else the reply code;
 *		 8. the action (delayed: expired, soft);
 *		 9. text with no code at all that nothing above could read:
 *		    onhold, for a person to look at.
 *		A tier 5 or 6 verdict that names no cause, given at MAIL FROM,
 *		refuses the sender ("rejected"); a tier 6 one at the greeting
 *		or HELO refuses the sending host ("blocked").
 *		So a 5.1.1 that says "mailbox is full" is mailboxfull, and a
 *		5.7.1 that says "user unknown" to RCPT is userunknown, while a bare
 *		"rejected" does not outvote 5.2.2 or 5.7.1.
 *		Structural rules adjust the verdict: an unknown user or host
 *		in reply to MAIL FROM concerns the sender, "rejected"; an
 *		unknown-user verdict under a code that itself says "no such
 *		mailbox" (5.1.1, 5.1.10, ...) stands; otherwise an unknown-user
 *		reply to DATA (the address was accepted at RCPT; taken from
 *		smtp_command or from wording such as "in reply to end of DATA
 *		command"), under an x.2.0 mailbox-status code, or an explicit
 *		unknown-user wording with no known SMTP command (gateways and
 *		filters print it too) is a filter's decision, "filtered"; a
 *		host-unknown under a 4.x.x code is a DNS failure,
 *		"networkerror"; a network status
 *		of class 4 on a failed or delayed recipient means the queue
 *		ran or is running out, "expired".
 *		Phrase tables are plain substrings, tried in table order
 *		against the text lower-cased (UTF-8 aware) with white space
 *		squeezed and SMTP continuation prefixes ("550-5.7.1 ")
 *		removed: time linear in the text for a fixed table, no
 *		regular expressions.
 * LIMITS	only the first 16 KiB of a diagnostic is read.
 * OWNERSHIP	rcpt is modified in place; explanation and advice point into
 *		static tables.
 * SEE ALSO	classify.h, codes.h, reasons.c, ../shared/README.md
 */
#include "config.h"

#include <string.h>

#include "knowledge/classify.h"
#include "knowledge/codes.h"

#define DIAGNOSTIC_MAX (16 * 1024)

typedef struct {
	const char *needle;	/* lower case, single spaces */
	const char *reason;
} Phrase;

/*
 * Specific phrases.  Order matters: the first row that matches wins, so
 * the groups run from the most telling wording to the most common one:
 * provider wordings that would be misread, content format, reputation,
 * rate, authentication, reverse DNS, blocklists, spam, relaying, then the
 * mailbox-level reasons, routing and system errors.
 */
static const Phrase strong_phrases[] = {
	/* provider wordings that the generic rows below would misread */
	{ "inactive email address", "userunknown" },		/* iCloud: no such address */
	{ "not listed in domino directory", "userunknown" },	/* before "listed in" */
	{ "not listed in public name", "userunknown" },
	{ "recipient address rejected: access denied", "userunknown" },	/* Microsoft directory check */
	{ "refused due to recipient preferences", "filtered" },
	{ "address that has been blacklisted", "rejected" },	/* the sender address, not the IP */
	{ "message filtered", "filtered" },
	{ "my name was rejected", "blocked" },			/* qmail: HELO name refused */
	{ "account or domain may not exist", "hostunknown" },	/* cPanel catch-all, before "blacklisted" */
	{ "group you tried to contact", "rejected" },		/* Google Groups */
	{ "not a member of this", "rejected" },
	{ "you are not a member", "rejected" },
	{ "permission to post", "rejected" },
	{ "not allowed to post", "rejected" },
	{ "suppression list", "suppressed" },
	{ "has suppressed sending", "suppressed" },
	{ "address is suppressed", "suppressed" },

	/* message format */
	{ "duplicate header", "contenterror" },
	{ "headers too large", "contenterror" },
	{ "header too large", "contenterror" },
	{ "header is too long", "contenterror" },
	{ "multiple addresses in from", "notcompliantrfc" },
	{ "not rfc 5322", "notcompliantrfc" },
	{ "rfc 5322 compliant", "notcompliantrfc" },
	{ "rfc5322", "notcompliantrfc" },
	{ "rfc 5322 section", "notcompliantrfc" },
	{ "rfc 2822", "notcompliantrfc" },
	{ "rfc2822", "notcompliantrfc" },
	{ "not rfc compliant", "notcompliantrfc" },
	{ "multiple subject", "notcompliantrfc" },
	{ "multiple from", "notcompliantrfc" },
	{ "missing from header", "notcompliantrfc" },
	{ "no from header", "notcompliantrfc" },
	{ "missing date header", "notcompliantrfc" },
	{ "invalid header", "notcompliantrfc" },
	{ "header syntax", "notcompliantrfc" },

	/* mail program at the final host */
	{ "procmail", "mailererror" },
	{ "mailer error", "mailererror" },
	{ "mail delivery agent", "mailererror" },
	{ "command died", "mailererror" },
	{ "command output:", "mailererror" },
	{ "pipe to |", "mailererror" },

	/* reputation outranks rate and spam wording that comes with it */
	{ "reputation", "badreputation" },
	{ "unusual rate of unsolicited", "badreputation" },
	{ "complaints", "badreputation" },
	{ "senderscore", "badreputation" },
	{ "sender score", "badreputation" },

	/* authentication of the sender domain */
	{ "dmarc", "authfailure" },
	{ "spf", "authfailure" },
	{ "dkim", "authfailure" },
	{ "domainkeys", "authfailure" },
	{ "sender policy framework", "authfailure" },
	{ "unauthenticated email", "authfailure" },
	{ "unauthenticated mail", "authfailure" },
	{ "sender is unauthenticated", "authfailure" },
	{ "does not have authentication information", "authfailure" },
	{ "authentication checks", "authfailure" },
	{ "sender authentication", "authfailure" },
	{ "arc validation", "authfailure" },

	/* rate of connections, messages or recipients */
	{ "frequency limited", "ratelimited" },
	{ "too many connections", "ratelimited" },
	{ "too many concurrent", "ratelimited" },
	{ "too many simultaneous", "ratelimited" },
	{ "too many sessions", "ratelimited" },
	{ "connection limit", "ratelimited" },
	{ "connection rate", "ratelimited" },
	{ "rate limit", "ratelimited" },
	{ "rate-limit", "ratelimited" },
	{ "ratelimit", "ratelimited" },
	{ "rate limited", "ratelimited" },
	{ "sending rate", "ratelimited" },
	{ "exceeded the rate", "ratelimited" },
	{ "too many messages", "ratelimited" },
	{ "too many mails", "ratelimited" },
	{ "too many emails", "ratelimited" },
	{ "too many recipients", "ratelimited" },
	{ "too many rcpt", "ratelimited" },
	{ "receiving mail at a rate", "ratelimited" },
	{ "receiving mail too quickly", "ratelimited" },
	{ "unexpected volume", "ratelimited" },
	{ "excessive volume", "ratelimited" },
	{ "throttl", "ratelimited" },
	{ "sending too fast", "ratelimited" },
	{ "slow down", "ratelimited" },
	{ "mail flood", "ratelimited" },
	{ "aup#in-", "ratelimited" },				/* Charter/Spectrum inbound rate codes */
	{ "try again in ", "ratelimited" },

	/* SMTP AUTH on the sending side */
	{ "authentication required", "securityerror" },
	{ "authentication is required", "securityerror" },
	{ "smtp authentication", "securityerror" },
	{ "smtp auth", "securityerror" },
	{ "unauthenticated senders", "securityerror" },
	{ "unauthenticated relay", "securityerror" },
	{ "must authenticate", "securityerror" },
	{ "not authenticated", "securityerror" },
	{ "authrequired", "securityerror" },
	{ "authentication failed", "securityerror" },
	{ "invalid credentials", "securityerror" },

	/* TLS */
	{ "starttls", "failedstarttls" },
	{ "tls required", "failedstarttls" },
	{ "tls is required", "failedstarttls" },
	{ "requires tls", "failedstarttls" },
	{ "tls negotiation", "failedstarttls" },
	{ "tls handshake", "failedstarttls" },
	{ "encryption required", "failedstarttls" },
	{ "encryption needed", "failedstarttls" },
	{ "secure connection required", "failedstarttls" },

	/* reverse DNS of the sending IP */
	{ "reverse dns", "requireptr" },
	{ "reverse-dns", "requireptr" },
	{ "reverse lookup", "requireptr" },
	{ "reverse hostname", "requireptr" },
	{ "reverse mapping", "requireptr" },
	{ "rdns", "requireptr" },
	{ "ptr record", "requireptr" },
	{ "ptr resource record", "requireptr" },
	{ "dns ptr", "requireptr" },
	{ "no ptr", "requireptr" },
	{ "ip name lookup failed", "requireptr" },
	{ "cannot find your hostname", "requireptr" },
	{ "cannot find your reverse", "requireptr" },
	{ "client host name", "requireptr" },
	{ "mismatches client ip", "requireptr" },
	{ "does not resolve to your ip", "requireptr" },
	{ "hostname lookup failed", "requireptr" },

	/* viruses */
	{ "virus", "virusdetected" },
	{ "malware", "virusdetected" },
	{ "infected", "virusdetected" },
	{ "trojan", "virusdetected" },
	{ "malicious", "virusdetected" },

	/* the sending IP or host is listed or banned */
	{ "spamhaus", "blocked" },
	{ "spamcop", "blocked" },
	{ "barracudacentral", "blocked" },
	{ "sorbs", "blocked" },
	{ "uceprotect", "blocked" },
	{ "abuseat", "blocked" },
	{ "blocked using", "blocked" },
	{ "listed at", "blocked" },
	{ "listed on", "blocked" },
	{ "listed in", "blocked" },
	{ "blacklist", "blocked" },
	{ "black list", "blocked" },
	{ "blocklist", "blocked" },
	{ "block list", "blocked" },
	{ "denylist", "blocked" },
	{ "dnsbl", "blocked" },
	{ "cdrbl", "blocked" },
	{ "mxrbl", "blocked" },
	{ "/rbl", "blocked" },
	{ " rbl", "blocked" },
	{ "rbl ", "blocked" },
	{ "ipcheck.proofpoint", "blocked" },
	{ "banned sending ip", "blocked" },
	{ "ip banned", "blocked" },
	{ "ip address blocked", "blocked" },
	{ "ip blocked", "blocked" },
	{ "ip is blocked", "blocked" },
	{ "ip has been blocked", "blocked" },
	{ "your ip", "blocked" },
	{ "invalid ip for sending", "blocked" },
	{ "client host rejected", "blocked" },
	{ "refused to talk to me", "blocked" },
	{ "not accepting connections", "blocked" },
	{ "poor email practices", "blocked" },
	{ "permanently deferred", "blocked" },			/* Yahoo TSS09 */
	{ "not authorized to send email directly", "blocked" },
	{ "part of their network", "blocked" },			/* Outlook.com block list */
	{ "unwanted messages have been sent from", "blocked" },	/* Outlook.com SC-00x */
	{ "dynamic ip", "blocked" },
	{ "dynamic address", "blocked" },
	{ "dialup", "blocked" },
	{ "dial-up", "blocked" },
	{ "residential", "blocked" },
	{ "(bl)", "blocked" },
	{ "smtp server of your isp", "blocked" },
	{ "relay through your isp", "blocked" },					/* T-Online block list marker */

	/* the message looks like spam */
	{ "spam", "spamdetected" },
	{ "content rejected", "spamdetected" },
	{ "unsolicited", "spamdetected" },
	{ "junk mail", "spamdetected" },
	{ "bulk mail", "spamdetected" },
	{ "phishing", "spamdetected" },
	{ "suspicious content", "spamdetected" },
	{ "message content", "spamdetected" },

	/* relaying */
	{ "relay access denied", "norelaying" },
	{ "relaying denied", "norelaying" },
	{ "relay denied", "norelaying" },
	{ "relay not permitted", "norelaying" },
	{ "relaying not permitted", "norelaying" },
	{ "not permitted to relay", "norelaying" },
	{ "relay not allowed", "norelaying" },
	{ "relaying not allowed", "norelaying" },
	{ "not allowed to relay", "norelaying" },
	{ "unable to relay", "norelaying" },
	{ "cannot relay", "norelaying" },
	{ "we do not relay", "norelaying" },
	{ "relay prohibited", "norelaying" },
	{ "relaying disallowed", "norelaying" },
	{ "no relaying", "norelaying" },
	{ "allowed rcpthosts", "norelaying" },

	/* the sender address or domain */
	{ "domain of sender address", "rejected" },
	{ "unroutable sender", "rejected" },
	{ "unrouteable sender", "rejected" },
	{ "sender address rejected", "rejected" },
	{ "sender address does not exist", "rejected" },
	{ "sender domain does not exist", "rejected" },
	{ "sender verify failed", "rejected" },
	{ "sender verification failed", "rejected" },
	{ "invalid sender", "rejected" },
	{ "sender rejected", "rejected" },
	{ "sender denied", "rejected" },
	{ "sender not allowed", "rejected" },
	{ "sender is not allowed", "rejected" },
	{ "unknown sender", "rejected" },
	{ "sender unknown", "rejected" },
	{ "from address is not allowed", "rejected" },

	/* policy */
	{ "policy violation", "policyviolation" },
	{ "policy reasons", "policyviolation" },
	{ "denied by policy", "policyviolation" },
	{ "rejected by policy", "policyviolation" },
	{ "prohibited by policy", "policyviolation" },
	{ "blocked by policy", "policyviolation" },
	{ "local policy", "policyviolation" },
	{ "against our policy", "policyviolation" },
	{ "violates our", "policyviolation" },
	{ "content policy", "policyviolation" },
	{ "email policy", "policyviolation" },
	{ "network not allowed", "policyviolation" },

	/* mailbox over quota */
	{ "mailbox full", "mailboxfull" },
	{ "mailbox is full", "mailboxfull" },
	{ "mail box full", "mailboxfull" },
	{ "mailbox has exceeded", "mailboxfull" },
	{ "mailbox exceeded", "mailboxfull" },
	{ "mailbox size limit", "mailboxfull" },
	{ "mailbox would exceed", "mailboxfull" },
	{ "mailbox is over", "mailboxfull" },
	{ "full mailbox", "mailboxfull" },
	{ "inbox is full", "mailboxfull" },
	{ "mailfolder is full", "mailboxfull" },
	{ "mail folder is full", "mailboxfull" },
	{ "over quota", "mailboxfull" },
	{ "overquota", "mailboxfull" },
	{ "quota exceeded", "mailboxfull" },
	{ "quotaexceeded", "mailboxfull" },
	{ "exceeded quota", "mailboxfull" },
	{ "exceeds quota", "mailboxfull" },
	{ "quota exceed", "mailboxfull" },
	{ "disk quota", "mailboxfull" },
	{ "storage allocation", "mailboxfull" },
	{ "out of storage", "mailboxfull" },
	{ "storage space", "mailboxfull" },
	{ "not enough space", "mailboxfull" },
	{ "postfach voll", "mailboxfull" },
	{ "postfach ist voll", "mailboxfull" },
	{ "speicherplatz", "mailboxfull" },
	{ "kontingent", "mailboxfull" },
	{ "boîte pleine", "mailboxfull" },
	{ "boite pleine", "mailboxfull" },
	{ "boîte aux lettres pleine", "mailboxfull" },
	{ "boite aux lettres pleine", "mailboxfull" },
	{ "boîte mail pleine", "mailboxfull" },
	{ "quota dépassé", "mailboxfull" },
	{ "quota depasse", "mailboxfull" },
	{ "buzón lleno", "mailboxfull" },
	{ "buzon lleno", "mailboxfull" },
	{ "buzón está lleno", "mailboxfull" },
	{ "cuota excedida", "mailboxfull" },
	{ "casella piena", "mailboxfull" },
	{ "casella di posta piena", "mailboxfull" },
	{ "quota superata", "mailboxfull" },
	{ "spazio esaurito", "mailboxfull" },
	{ "caixa cheia", "mailboxfull" },
	{ "caixa postal cheia", "mailboxfull" },
	{ "caixa de correio cheia", "mailboxfull" },
	{ "cota excedida", "mailboxfull" },
	{ "quota excedida", "mailboxfull" },
	{ "mailbox is vol", "mailboxfull" },
	{ "mailbox vol", "mailboxfull" },
	{ "postvak vol", "mailboxfull" },
	{ "postbus vol", "mailboxfull" },
	{ "ящик переполнен", "mailboxfull" },
	{ "переполнен", "mailboxfull" },
	{ "превышен лимит", "mailboxfull" },
	{ "skrzynka pełna", "mailboxfull" },
	{ "メールボックスがいっぱい", "mailboxfull" },
	{ "メールボックスが一杯", "mailboxfull" },
	{ "容量オーバー", "mailboxfull" },
	{ "容量超過", "mailboxfull" },
	{ "容量を超え", "mailboxfull" },
	{ "邮箱已满", "mailboxfull" },

	/* mailbox disabled */
	{ "account disabled", "suspend" },
	{ "account is disabled", "suspend" },
	{ "account has been disabled", "suspend" },
	{ "mailbox disabled", "suspend" },
	{ "mailbox is disabled", "suspend" },
	{ "disabled recipient", "suspend" },
	{ "disabled account", "suspend" },
	{ "disabled mailbox", "suspend" },
	{ "you tried to reach is disabled", "suspend" },
	{ "has been disabled", "suspend" },
	{ "temporarily disabled", "suspend" },
	{ "account suspended", "suspend" },
	{ "mailbox suspended", "suspend" },
	{ "is suspended", "suspend" },
	{ "been suspended", "suspend" },
	{ "suspended account", "suspend" },
	{ "inactive", "suspend" },
	{ "deactivated", "suspend" },
	{ "is frozen", "suspend" },
	{ "account expired", "suspend" },
	{ "account has expired", "suspend" },
	{ "account is locked", "suspend" },
	{ "account locked", "suspend" },
	{ "discontinued", "suspend" },
	{ "dormant", "suspend" },
	{ "konto gesperrt", "suspend" },
	{ "compte désactivé", "suspend" },
	{ "cuenta desactivada", "suspend" },
	{ "cuenta suspendida", "suspend" },
	{ "заблокирован", "suspend" },

	/* moved */
	{ "has moved", "hasmoved" },
	{ "address has changed", "hasmoved" },
	{ "no longer at this address", "hasmoved" },
	{ "mailbox owner has changed", "hasmoved" },

	/* domain cannot receive mail */
	{ "null mx", "notaccept" },
	{ "does not accept mail", "notaccept" },
	{ "doesn't accept mail", "notaccept" },
	{ "does not receive email", "notaccept" },
	{ "doesn't receive email", "notaccept" },
	{ "does not receive mail", "notaccept" },
	{ "no mail service", "notaccept" },
	{ "couldn't find a mail exchanger", "notaccept" },
	{ "no smtp service", "notaccept" },
	{ "could not find a mail exchanger", "notaccept" },

	/* given up after too long */
	{ "message expired", "expired" },
	{ "could not be delivered for", "expired" },		/* sendmail: "... for 5 days" */
	{ "delivery time expired", "expired" },
	{ "delivery expired", "expired" },
	{ "queue.expired", "expired" },
	{ "retry timeout exceeded", "expired" },
	{ "retry time not reached for any host after a long", "expired" },
	{ "connection timed out", "expired" },
	{ "could not deliver for the last", "expired" },
	{ "failing for a long time", "expired" },
	{ "after multiple retries", "expired" },
	{ "did not accept our requests to connect", "expired" },
	{ "could not be delivered within", "expired" },
	{ "unable to deliver in", "expired" },
	{ "maximum queue time", "expired" },
	{ "queue lifetime", "expired" },

	/* DNS trouble before "host not found" wording */
	{ "dns error", "networkerror" },
	{ "host not found, try again", "networkerror" },	/* resolver TRY_AGAIN */
	{ "malformed or unexpected name server reply", "networkerror" },
	{ "name server reply", "networkerror" },
	{ "temporary dns", "networkerror" },
	{ "dns lookup failed", "networkerror" },
	{ "host name lookup failure", "networkerror" },		/* sendmail: resolver TRY_AGAIN */

	/* the recipient domain does not exist */
	{ "host unknown", "hostunknown" },
	{ "unknown host", "hostunknown" },
	{ "host not found", "hostunknown" },
	{ "domain not found", "hostunknown" },
	{ "domain name not found", "hostunknown" },
	{ "no such domain", "hostunknown" },
	{ "unknown domain", "hostunknown" },
	{ "domain does not exist", "hostunknown" },
	{ "domain doesn't exist", "hostunknown" },
	{ "domain is not valid", "hostunknown" },
	{ "invalid domain", "hostunknown" },
	{ "couldn't find any host", "hostunknown" },
	{ "could not find any host", "hostunknown" },
	{ "name or service not known", "hostunknown" },
	{ "unrouteable", "hostunknown" },
	{ "unroutable", "hostunknown" },
	{ "bad destination system address", "hostunknown" },
	{ "nxdomain", "hostunknown" },
	{ "dns lookup failure", "hostunknown" },
	{ "no mx record", "hostunknown" },
	{ "domain unknown", "hostunknown" },

	/* the mailbox does not exist */
	{ "user unknown", "userunknown" },
	{ "unknown user", "userunknown" },
	{ "unknown recipient", "userunknown" },
	{ "recipient unknown", "userunknown" },
	{ "unknown address", "userunknown" },
	{ "address unknown", "userunknown" },
	{ "unknown mailbox", "userunknown" },
	{ "mailbox unknown", "userunknown" },
	{ "unknown local part", "userunknown" },
	{ "unknown or illegal alias", "userunknown" },
	{ "no such user", "userunknown" },
	{ "no such mailbox", "userunknown" },
	{ "no such recipient", "userunknown" },
	{ "no such account", "userunknown" },
	{ "no such person", "userunknown" },
	{ "no such address", "userunknown" },
	{ "no mailbox", "userunknown" },
	{ "user not found", "userunknown" },
	{ "recipient not found", "userunknown" },
	{ "mailbox not found", "userunknown" },
	{ "address not found", "userunknown" },
	{ "account not found", "userunknown" },
	{ "recipnotfound", "userunknown" },
	{ "recipientnotfound", "userunknown" },
	{ "user does not exist", "userunknown" },
	{ "user doesn't exist", "userunknown" },
	{ "user not exist", "userunknown" },
	{ "mailbox does not exist", "userunknown" },
	{ "mailbox doesn't exist", "userunknown" },
	{ "address does not exist", "userunknown" },
	{ "address doesn't exist", "userunknown" },
	{ "recipient does not exist", "userunknown" },
	{ "account does not exist", "userunknown" },
	{ "account that you tried to reach does not exist", "userunknown" },
	{ "user doesn't have a", "userunknown" },
	{ "does not have an account", "userunknown" },
	{ "invalid recipient", "userunknown" },
	{ "invalid mailbox", "userunknown" },
	{ "invalid user", "userunknown" },
	{ "invalid address", "userunknown" },
	{ "not a valid mailbox", "userunknown" },
	{ "not a valid recipient", "userunknown" },
	{ "bad destination mailbox", "userunknown" },
	{ "recipient name is not recognized", "userunknown" },
	{ "not a registered", "userunknown" },
	{ "wasn't found at", "userunknown" },
	{ "nonexistent", "userunknown" },
	{ "non-existent", "userunknown" },
	{ "unknown or invalid", "userunknown" },
	{ "benutzer unbekannt", "userunknown" },
	{ "empfänger unbekannt", "userunknown" },
	{ "unbekannter empfänger", "userunknown" },
	{ "unbekannter benutzer", "userunknown" },
	{ "adresse unbekannt", "userunknown" },
	{ "ungültige empfänger", "userunknown" },
	{ "utilisateur inconnu", "userunknown" },
	{ "destinataire inconnu", "userunknown" },
	{ "adresse inconnue", "userunknown" },
	{ "adresse introuvable", "userunknown" },
	{ "usuario desconocido", "userunknown" },
	{ "destinatario desconocido", "userunknown" },
	{ "usuario no existe", "userunknown" },
	{ "utente sconosciuto", "userunknown" },
	{ "utente inesistente", "userunknown" },
	{ "destinatario sconosciuto", "userunknown" },
	{ "usuário desconhecido", "userunknown" },
	{ "usuario desconhecido", "userunknown" },
	{ "utilizador desconhecido", "userunknown" },
	{ "destinatário desconhecido", "userunknown" },
	{ "onbekende gebruiker", "userunknown" },
	{ "gebruiker onbekend", "userunknown" },
	{ "onbekende ontvanger", "userunknown" },
	{ "пользователь не найден", "userunknown" },
	{ "нет такого пользователя", "userunknown" },
	{ "неизвестный пользователь", "userunknown" },
	{ "адрес не существует", "userunknown" },
	{ "ящик не существует", "userunknown" },
	{ "宛先不明", "userunknown" },
	{ "存在しないメールアドレス", "userunknown" },
	{ "メールアドレスが見つかりません", "userunknown" },
	{ "ディレクトリには見つかりません", "userunknown" },
	{ "ユーザーが見つかりません", "userunknown" },
	{ "用户不存在", "userunknown" },
	{ "收件人不存在", "userunknown" },

	/* the size of the message */
	{ "message too large", "emailtoolarge" },
	{ "message is too large", "emailtoolarge" },
	{ "message too big", "emailtoolarge" },
	{ "message is too big", "emailtoolarge" },
	{ "message size exceeds", "emailtoolarge" },
	{ "message length exceeds", "emailtoolarge" },
	{ "size exceeds", "emailtoolarge" },
	{ "exceeds size limit", "emailtoolarge" },
	{ "size limit", "emailtoolarge" },
	{ "maximum message size", "emailtoolarge" },
	{ "message exceeds", "emailtoolarge" },
	{ "too large", "emailtoolarge" },
	{ "too big", "emailtoolarge" },
	{ "line limit exceeded", "emailtoolarge" },
	{ "nachricht zu groß", "emailtoolarge" },
	{ "message trop volumineux", "emailtoolarge" },
	{ "mensaje demasiado grande", "emailtoolarge" },

	/* receiving system out of space */
	{ "insufficient disk space", "systemfull" },
	{ "insufficient system storage", "systemfull" },
	{ "out of disk", "systemfull" },
	{ "disk full", "systemfull" },
	{ "disk is full", "systemfull" },
	{ "no space left", "systemfull" },
	{ "mail system full", "systemfull" },

	/* routing and connections */
	{ "too many hops", "networkerror" },
	{ "hop count exceeded", "networkerror" },
	{ "mail loop", "networkerror" },
	{ "routing loop", "networkerror" },
	{ "loop detected", "networkerror" },
	{ "loops back to myself", "networkerror" },
	{ "network is unreachable", "networkerror" },
	{ "no route to host", "networkerror" },
	{ "connection reset", "networkerror" },
	{ "lost connection", "networkerror" },
	{ "connection refused", "networkerror" },
	{ "unable to connect", "networkerror" },
	{ "could not connect", "networkerror" },
	{ "establish an smtp connection", "networkerror" },

	/* the receiving system failed */
	{ "system error", "systemerror" },
	{ "internal error", "systemerror" },
	{ "internal server error", "systemerror" },
	{ "local error", "systemerror" },
	{ "server error", "systemerror" },
	{ "upstream error", "systemerror" },
	{ "temporary local problem", "systemerror" },
	{ "mail system problem", "systemerror" },
	{ "configuration error", "systemerror" },
	{ "misconfigur", "systemerror" },
	{ "unable to contact ldap", "systemerror" },
	{ "ldap", "systemerror" },
	{ "could not load", "systemerror" },
	{ "service currently unavailable", "systemerror" },
	{ "resources temporarily unavailable", "systemerror" },
	{ "database error", "systemerror" },
	{ "duplicated message-id", "systemerror" },

	/* SMTP dialogue */
	{ "syntax error", "syntaxerror" },
	{ "improper sequence", "syntaxerror" },
	{ "bad sequence of commands", "syntaxerror" },
	{ "command unrecognized", "syntaxerror" },
	{ "unrecognized command", "syntaxerror" },
	{ "command not recognized", "syntaxerror" },
	{ "malformed address", "syntaxerror" },

	/* held */
	{ "on hold", "onhold" },
	{ "quarantine", "filtered" },
};

/*
 * Generic phrases: weaker than a specific status code, stronger than a
 * generic one.
 */
static const Phrase weak_phrases[] = {
	{ "in the queue too long", "expired" },			/* qmail adds it to the last error */
	{ "in queue too long", "expired" },
	{ "does not exist", "userunknown" },
	{ "doesn't exist", "userunknown" },
	{ "not exist", "userunknown" },
	{ "mailbox unavailable", "userunknown" },
	{ "couldn't be found", "userunknown" },		/* also said of hosts and messages */
	{ "could not be found", "userunknown" },
	{ "mailbox not available", "userunknown" },
	{ "mailbox is unavailable", "userunknown" },
	{ "existiert nicht", "userunknown" },
	{ "gibt es nicht", "userunknown" },
	{ "n'existe pas", "userunknown" },
	{ "no existe", "userunknown" },
	{ "non esiste", "userunknown" },
	{ "não existe", "userunknown" },
	{ "nao existe", "userunknown" },
	{ "bestaat niet", "userunknown" },
	{ "не существует", "userunknown" },
	{ "nie istnieje", "userunknown" },
	{ "存在しません", "userunknown" },
	{ "見つかりません", "userunknown" },
	{ "quota", "mailboxfull" },
	{ "is full", "mailboxfull" },
	{ "disabled", "suspend" },
	{ "suspended", "suspend" },
	{ "banned", "blocked" },
	{ "blocked", "blocked" },
	{ "temporarily deferred", "ratelimited" },
	{ "policy", "policyviolation" },
	{ "timed out", "networkerror" },
	{ "timeout", "networkerror" },
};

/* Words that only say "no": weaker than any status code. */
static const Phrase vague_phrases[] = {
	{ "recipient address rejected", "userunknown" },
	{ "access denied", "securityerror" },
	{ "not allowed", "rejected" },
	{ "denied", "rejected" },
	{ "refused", "rejected" },
	{ "rejected", "rejected" },
};

/* Does the text at P start an SMTP continuation prefix "550-5.7.1 " or "550 5.7.1 "? */
static gsize
continuation_prefix (const char *p)
{
	gsize n;

	if (!(p[0] >= '2' && p[0] <= '5' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])))
		return 0;
	if (p[3] != '-' && p[3] != ' ')
		return 0;
	n = 4;
	if (!(p[n] == '2' || p[n] == '4' || p[n] == '5') || p[n + 1] != '.')
		return p[3] == '-' ? 4 : 0;	/* "550-" alone is a prefix too */
	n += 2;
	for (int part = 0; part < 2; part++) {
		int digits = 0;

		while (g_ascii_isdigit (p[n]) && digits < 4) {
			n++;
			digits++;
		}
		if (digits == 0 || digits > 3)
			return 0;
		if (part == 0) {
			if (p[n] != '.')
				return 0;
			n++;
		}
	}
	if (p[n] != ' ' && p[n] != '\0')
		return 0;
	return n;
}

/*
 * Lower-case TEXT, squeeze white space to single spaces, turn typographic
 * apostrophes into ASCII ones and drop SMTP continuation prefixes that
 * stand inside the text.  One pass; the result is never longer than the
 * lower-cased input.
 */
static gboolean
is_ascii (const char *text, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if ((guchar) text[i] >= 0x80)
			return FALSE;
	return TRUE;
}

static char *
fold_text (const char *text)
{
	g_autofree char *lower = NULL;
	gsize len = strlen (text);
	const char *p;
	char *out, *q;
	gboolean space = TRUE;

	if (len > DIAGNOSTIC_MAX) {
		const char *cut = g_utf8_find_prev_char (text, text + DIAGNOSTIC_MAX);

		len = cut ? (gsize) (cut - text) : DIAGNOSTIC_MAX;
	}
	if (is_ascii (text, len) || !g_utf8_validate (text, len, NULL))
		lower = g_ascii_strdown (text, len);	/* the common case, and the fast one */
	else
		lower = g_utf8_strdown (text, len);

	out = q = g_malloc (strlen (lower) + 1);
	for (p = lower; *p != '\0';) {
		if (g_ascii_isspace (*p)) {
			if (!space)
				*q++ = ' ';
			space = TRUE;
			p++;
			continue;
		}
		if (space && p != lower) {
			gsize skip = continuation_prefix (p);

			if (skip > 0) {
				p += skip;
				continue;
			}
		}
		if ((guchar) p[0] == 0xe2 && (guchar) p[1] == 0x80 &&
		    ((guchar) p[2] == 0x98 || (guchar) p[2] == 0x99)) {
			*q++ = '\'';
			p += 3;
		} else
			*q++ = *p++;
		space = FALSE;
	}
	while (q > out && q[-1] == ' ')
		q--;
	*q = '\0';
	return out;
}

/*
 * A phrase table indexed by first byte, built once: matching reads the
 * folded text once and, at each byte, tries only the phrases that start
 * with it.  The first phrase of the table that occurs anywhere wins, as a
 * strstr over each row in turn would decide, in one pass instead of one
 * per row.
 */
typedef struct {
	const Phrase *table;
	gsize         n;
	guint16       start[257];	/* rows starting with byte c: order[start[c] .. start[c + 1]) */
	guint16      *order;		/* row numbers, ascending within a byte */
	guint16      *length;		/* strlen of each row's needle */
	guint32      *head;		/* its first 4 bytes (0-padded): one compare rules most rows out */
	guint32      *head_mask;	/* the bytes of head that belong to the needle */
} PhraseIndex;

/* Up to 4 bytes of s as one word, 0-padded; mask marks the bytes taken. */
static inline guint32
word_of (const char *s, gsize len, guint32 *mask)
{
	guint32 w = 0;
	gsize n = MIN (len, sizeof w);

	memcpy (&w, s, n);
	if (mask != NULL)
		*mask = n == sizeof w ? G_MAXUINT32 : (((guint32) 1 << (8 * n)) - 1);
	return w;
}

static PhraseIndex *
phrase_index_new (const Phrase *table, gsize n)
{
	PhraseIndex *ix = g_new0 (PhraseIndex, 1);
	guint count[256] = { 0 };

	g_assert (n < G_MAXUINT16);
	ix->table = table;
	ix->n = n;
	ix->order = g_new (guint16, n);
	ix->length = g_new (guint16, n);
	ix->head = g_new (guint32, n);
	ix->head_mask = g_new (guint32, n);
	for (gsize i = 0; i < n; i++) {
		count[(guchar) table[i].needle[0]]++;
		ix->length[i] = strlen (table[i].needle);
		ix->head[i] = word_of (table[i].needle, ix->length[i], &ix->head_mask[i]);
	}
	for (guint c = 0; c < 256; c++)
		ix->start[c + 1] = ix->start[c] + count[c];
	memset (count, 0, sizeof count);
	for (gsize i = 0; i < n; i++) {
		guchar c = table[i].needle[0];
		ix->order[ix->start[c] + count[c]++] = i;
	}
	return ix;
}

static const Phrase *
match_index (const PhraseIndex *ix, const char *folded)
{
	gsize best = ix->n;
	gsize len = strlen (folded);

	for (gsize i = 0; i < len; i++) {
		guchar c = folded[i];
		guint32 here;

		if (ix->start[c] == ix->start[c + 1])
			continue;
		here = word_of (folded + i, len - i, NULL);
		for (guint k = ix->start[c]; k < ix->start[c + 1]; k++) {
			guint row = ix->order[k];
			if (row >= best)
				break;	/* rows ascend: no better one at this byte */
			if ((here & ix->head_mask[row]) == ix->head[row] && ix->length[row] <= len - i &&
			    memcmp (folded + i, ix->table[row].needle, ix->length[row]) == 0) {
				best = row;
				break;
			}
		}
		if (best == 0)
			break;
	}
	return best < ix->n ? &ix->table[best] : NULL;
}

/* A table's index, built on first use (thread-safe). */
typedef struct {
	gsize        ready;
	PhraseIndex *index;
} PhraseIndexOnce;

static const Phrase *
match_phrase (PhraseIndexOnce *once, const Phrase *table, gsize n, const char *folded)
{
	if (g_once_init_enter (&once->ready)) {
		once->index = phrase_index_new (table, n);
		g_once_init_leave (&once->ready, 1);
	}
	if (*folded == '\0')
		return NULL;
	return match_index (once->index, folded);
}

static PhraseIndexOnce strong_index, weak_index, vague_index;

/* Status class as a digit, 0 when there is no status. */
static guint
status_class (const BounceRecipient *rcpt)
{
	guint klass;

	if (bounce_status_parse (rcpt->status, &klass, NULL, NULL))
		return klass;
	return 0;
}

static gboolean
is_permanent (const BounceRecipient *rcpt)
{
	guint klass = status_class (rcpt);

	if (g_ascii_strcasecmp (rcpt->action, "delayed") == 0)
		return FALSE;
	if (klass == 4)
		return FALSE;
	if (klass == 5)
		return TRUE;
	if (g_ascii_strcasecmp (rcpt->action, "failed") == 0)
		return TRUE;
	return rcpt->reply_code[0] == '5';
}

/* Wordings that say the reply came after the message body was sent. */
static const char *const after_data[] = {
	"in reply to end of data command",
	"after end of data",
	"did not like our final data",
	"failed after i sent the message",
};

/* TRUE when the refusal answered DATA: the recipient had been accepted at RCPT. */
static gboolean
refused_after_data (const BounceRecipient *rcpt, const char *folded)
{
	if (rcpt->smtp_command[0] != '\0')
		return g_ascii_strcasecmp (rcpt->smtp_command, "DATA") == 0 ||
		       g_ascii_strcasecmp (rcpt->smtp_command, "BDAT") == 0;
	for (gsize i = 0; i < G_N_ELEMENTS (after_data); i++)
		if (strstr (folded, after_data[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* Adjust a verdict by where in the dialogue it came and the code class. */
/* TRUE when the status code itself names a mailbox that does not exist (5.1.1, ...). */
static gboolean
status_says_no_mailbox (const BounceRecipient *rcpt)
{
	const BounceStatusInfo *st = bounce_status_lookup (rcpt->status);

	return st != NULL && st->specific && strcmp (st->reason, "userunknown") == 0;
}

/* Wordings of the receiving system's own look-up of the address. */
static const char *const own_lookup_phrases[] = {
	"directory",		/* "not listed in Domino Directory" */
	"ディレクトリ",		/* the same from Notes in Japanese */
	"mail.local: ",		/* sendmail's local delivery agent */
};

static gboolean
own_lookup (const char *folded)
{
	for (gsize i = 0; i < G_N_ELEMENTS (own_lookup_phrases); i++)
		if (strstr (folded, own_lookup_phrases[i]) != NULL)
			return TRUE;
	return FALSE;
}

static const char *
adjust_reason (const BounceRecipient *rcpt, const char *folded, const char *reason, gboolean vague)
{
	/* refused at MAIL FROM: whatever the words, it is the sender that was refused */
	if ((strcmp (reason, "userunknown") == 0 || strcmp (reason, "hostunknown") == 0) &&
	    g_ascii_strcasecmp (rcpt->smtp_command, "MAIL") == 0)
		return "rejected";
	/* an explicit no-such-mailbox code stands wherever in the dialogue it came */
	if (strcmp (reason, "userunknown") == 0 && status_says_no_mailbox (rcpt))
		return reason;
	if (strcmp (reason, "userunknown") == 0 && refused_after_data (rcpt, folded))
		return "filtered";
	/*
	 * "user unknown" wording without the RCPT command that drew it: filters
	 * and gateways print it too, so it is not proof that the address is bad;
	 * unless the receiving system itself looked the address up (its
	 * directory, its local delivery agent).
	 */
	if (strcmp (reason, "userunknown") == 0 && rcpt->smtp_command[0] == '\0' && !vague &&
	    !own_lookup (folded))
		return "filtered";
	/* a mailbox-status code (x.2.0) says the mailbox is there: the "unknown" is a filter's */
	if (strcmp (reason, "userunknown") == 0 && g_str_has_suffix (rcpt->status, ".2.0"))
		return "filtered";
	if (strcmp (reason, "hostunknown") == 0 &&
	    (status_class (rcpt) == 4 || g_ascii_strcasecmp (rcpt->action, "delayed") == 0))
		return "networkerror";
	return reason;
}

/*
 * A refusal that only says "no" (a vague word, or a code that names no
 * cause) before any recipient was given: at MAIL FROM it refuses the
 * sender; at the greeting or HELO (VAGUE only) it refuses the sending host.
 */
static const char *
before_rcpt (const BounceRecipient *rcpt, const char *reason, gboolean vague)
{
	static const char *const unspecific[] = {
		"securityerror", "userunknown", "hostunknown", "filtered", "undefined", "rejected",
	};
	const char *cmd = rcpt->smtp_command;
	gboolean plain = FALSE;

	for (gsize i = 0; i < G_N_ELEMENTS (unspecific); i++)
		if (strcmp (reason, unspecific[i]) == 0)
			plain = TRUE;
	if (!plain)
		return reason;
	if (g_ascii_strcasecmp (cmd, "MAIL") == 0)
		return "rejected";
	if (vague && (g_ascii_strcasecmp (cmd, "HELO") == 0 || g_ascii_strcasecmp (cmd, "CONN") == 0))
		return "blocked";
	return reason;
}

typedef struct {
	const char *reason;
	char       *source;		/* owned */
	const BounceStatusInfo *status_row;
	const BounceReplyInfo  *reply_row;
} Verdict;

static void
decide (const BounceRecipient *rcpt, Verdict *v)
{
	g_autofree char *folded = fold_text (rcpt->diagnostic);
	const Phrase *ph;
	const BounceStatusInfo *st = v->status_row;
	const BounceReplyInfo *rp = v->reply_row;
	gboolean delayed = g_ascii_strcasecmp (rcpt->action, "delayed") == 0;

	if ((ph = match_phrase (&strong_index, strong_phrases, G_N_ELEMENTS (strong_phrases), folded))) {
		v->reason = adjust_reason (rcpt, folded, ph->reason, FALSE);
		v->source = g_strconcat ("phrase:", ph->needle, NULL);
		return;
	}
	if (st != NULL && st->specific) {
		v->reason = adjust_reason (rcpt, folded, st->reason, FALSE);
		v->source = g_strconcat ("status:", rcpt->status, NULL);
		return;
	}
	if ((ph = match_phrase (&weak_index, weak_phrases, G_N_ELEMENTS (weak_phrases), folded))) {
		v->reason = adjust_reason (rcpt, folded, ph->reason, TRUE);
		v->source = g_strconcat ("phrase:", ph->needle, NULL);
		return;
	}
	if (st != NULL && strcmp (st->reason, "undefined") != 0) {
		v->reason = before_rcpt (rcpt, st->reason, FALSE);
		/* a temporary network failure that ended the delivery: the queue ran out */
		if (strcmp (st->reason, "networkerror") == 0 && status_class (rcpt) == 4 &&
		    (delayed || g_ascii_strcasecmp (rcpt->action, "failed") == 0))
			v->reason = "expired";
		v->source = g_strconcat ("status:", rcpt->status, NULL);
		return;
	}
	if ((ph = match_phrase (&vague_index, vague_phrases, G_N_ELEMENTS (vague_phrases), folded))) {
		v->reason = before_rcpt (rcpt, adjust_reason (rcpt, folded, ph->reason, TRUE), TRUE);
		v->source = g_strconcat ("phrase:", ph->needle, NULL);
		return;
	}
	if (st != NULL && !delayed) {
		v->reason = st->reason;
		v->source = g_strconcat ("status:", rcpt->status, NULL);
		return;
	}
	/* A bare x.0.0 says "undefined" on purpose; the reply code adds nothing. */
	if (rp != NULL && st == NULL && !delayed) {
		v->reason = adjust_reason (rcpt, folded, rp->reason, TRUE);
		v->source = g_strconcat ("reply:", rcpt->reply_code, NULL);
		return;
	}
	if (delayed) {
		v->reason = "expired";
		v->source = g_strdup ("action:delayed");
		return;
	}
	/* words were given but none could be read: held for a person to look at */
	if (rcpt->status[0] == '\0' && rcpt->reply_code[0] == '\0' && *folded != '\0') {
		v->reason = "onhold";
		v->source = g_strdup ("default:unread");
		return;
	}
	v->reason = "undefined";
	v->source = g_strdup ("default");
}

void
bounce_classify_recipient (BounceRecipient *rcpt, BounceKind kind)
{
	Verdict v = { NULL, NULL, NULL, NULL };
	const BounceReasonInfo *info;
	const char *fixed = NULL;

	g_return_if_fail (rcpt != NULL);

	v.status_row = bounce_status_lookup (rcpt->status);
	v.reply_row = bounce_reply_lookup (rcpt->reply_code);

	if (kind == BOUNCE_KIND_FEEDBACK)
		fixed = "feedback";
	else if (kind == BOUNCE_KIND_AUTOREPLY)
		fixed = "vacation";
	else if (kind == BOUNCE_KIND_DELIVERED ||
		 g_ascii_strcasecmp (rcpt->action, "delivered") == 0 ||
		 g_ascii_strcasecmp (rcpt->action, "relayed") == 0 ||
		 g_ascii_strcasecmp (rcpt->action, "expanded") == 0)
		fixed = "delivered";

	if (fixed != NULL) {
		v.reason = fixed;
		v.source = g_strconcat ("kind:", fixed, NULL);
	} else if (bounce_reason_canonical (rcpt->reason) != NULL) {
		v.reason = bounce_reason_canonical (rcpt->reason);
		v.source = g_strdup ("detector");
	} else
		decide (rcpt, &v);

	info = bounce_reason_info (v.reason);
	g_assert (info != NULL);		/* every table names a known reason */

	bounce_set (&rcpt->reason, info->name);
	bounce_set (&rcpt->reason_source, v.source);
	g_free (v.source);

	if (fixed != NULL)
		rcpt->permanent = FALSE;
	else
		rcpt->permanent = is_permanent (rcpt);
	rcpt->hard_bounce = fixed == NULL && bounce_reason_is_hard (info->name, rcpt->permanent);
	rcpt->fault = info->fault;

	/* Prefer the text of the code row when it names the same reason. */
	if (v.status_row != NULL && strcmp (v.status_row->reason, info->name) == 0) {
		rcpt->explanation = v.status_row->meaning;
		rcpt->advice = v.status_row->advice;
	} else if (v.status_row == NULL && v.reply_row != NULL &&
		   strcmp (v.reply_row->reason, info->name) == 0) {
		rcpt->explanation = v.reply_row->meaning;
		rcpt->advice = v.reply_row->advice;
	} else {
		rcpt->explanation = info->explanation;
		rcpt->advice = info->advice;
	}
}
