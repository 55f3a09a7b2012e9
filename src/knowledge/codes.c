/*
 * knowledge/codes.c - the enhanced status code and SMTP reply code tables
 *
 * SYNOPSIS	const BounceStatusInfo *bounce_status_lookup (const char *status);
 *		const BounceReplyInfo *bounce_reply_lookup (const char *code);
 * DESCRIPTION	Data first, then a few lookups.  The status rows follow the
 *		order of the IANA registry (subject, then detail); rows whose
 *		meaning depends on the class (4.2.2 against 5.2.2, 4.4.7 against
 *		5.4.7, ...) come right after the class-independent row.
 *		Provider rows (Microsoft 365 5.7.5xx, Gmail 4.7.28, ...) are
 *		marked so in defined_by; they are what large receivers send.
 *		Lookups are linear scans of about 150 rows: cheap next to
 *		parsing a message, and the order of the table stays readable.
 * SEE ALSO	codes.h, RFC 3463, RFC 5321, RFC 7372, RFC 7504, RFC 7505
 */
#include "config.h"

#include <string.h>

#include "knowledge/codes.h"

#define RA BOUNCE_PARTY_RECIPIENT_ADDRESS
#define RS BOUNCE_PARTY_RECIPIENT_SYSTEM
#define SE BOUNCE_PARTY_SENDER
#define CO BOUNCE_PARTY_CONTENT
#define NE BOUNCE_PARTY_NETWORK
#define PO BOUNCE_PARTY_POLICY

static const BounceStatusInfo status_rows[] = {
	/* X.0.x: nothing more precise */
	{ 0, 0, 0, 0, "Other undefined status",
	  "The server refused or deferred the message without saying why in a code.",
	  RS, "Any problem the server chose not to classify; the text of the reply is the only clue.",
	  "Read the diagnostic text; if it says nothing, ask the receiving postmaster.",
	  "undefined", FALSE, "RFC 3463" },
	{ 2, 0, 0, 0, "Other undefined status (success)",
	  "The message was accepted; no further detail was given.",
	  RS, "A normal successful delivery.",
	  "Nothing to do.", "delivered", TRUE, "RFC 3463" },

	/* X.1.x: addressing */
	{ 0, 1, 0, 0, "Other address status",
	  "Something is wrong with an address, sender or recipient, but the code does not say what.",
	  RA, "A misspelt or deleted address, or a sender address the server would not take.",
	  "Check both the recipient address and your envelope sender.",
	  "userunknown", FALSE, "RFC 3463" },
	{ 0, 1, 1, 1, "Bad destination mailbox address",
	  "The receiving domain exists but has no mailbox by that name.",
	  RA, "A typo in the local part, an employee who left, an account that was deleted.",
	  "Remove the address from your list; ask the person for a current one.",
	  "userunknown", TRUE, "RFC 3463" },
	{ 0, 1, 2, 2, "Bad destination system address",
	  "The domain after the @ does not exist or cannot receive mail.",
	  RA, "A typo in the domain, an expired domain, a host name instead of a mail domain.",
	  "Check the spelling of the domain; remove the address if the domain is gone.",
	  "hostunknown", TRUE, "RFC 3463" },
	{ 0, 1, 3, 3, "Bad destination mailbox address syntax",
	  "The recipient address is not a valid address at all.",
	  RA, "Stray spaces or characters, a missing @, an address cut in two.",
	  "Fix the address where it was entered; do not send to it as it is.",
	  "userunknown", TRUE, "RFC 3463" },
	{ 0, 1, 4, 4, "Destination mailbox address ambiguous",
	  "The address matches more than one mailbox at the receiving site.",
	  RA, "A directory lookup on a partial name found several people.",
	  "Ask the recipient for their exact, full address.",
	  "userunknown", TRUE, "RFC 3463" },
	{ 0, 1, 5, 5, "Destination address valid",
	  "The recipient address was checked and is good.",
	  RA, "Normal success, or a VRFY/RCPT check that passed.",
	  "Nothing to do.", "delivered", TRUE, "RFC 3463" },
	{ 0, 1, 6, 6, "Destination mailbox has moved, no forwarding address",
	  "The person no longer receives mail at this address and left no forwarding.",
	  RA, "A changed job, provider or name; the old address was kept only to say so.",
	  "Remove the address; use the new one if the person gives it to you.",
	  "hasmoved", TRUE, "RFC 3463" },
	{ 0, 1, 7, 7, "Bad sender's mailbox address syntax",
	  "Your envelope sender (MAIL FROM) address is malformed.",
	  SE, "A sending application that writes a broken Return-Path or a bare local part.",
	  "Fix the envelope sender your software uses; resend.",
	  "rejected", TRUE, "RFC 3463" },
	{ 0, 1, 8, 8, "Bad sender's system address",
	  "The domain of your envelope sender does not exist or does not resolve.",
	  SE, "An internal host name used as sender, a typo, a domain without DNS records.",
	  "Send from a domain that exists in public DNS with MX or A records.",
	  "rejected", TRUE, "RFC 3463" },
	{ 0, 1, 9, 9, "Message relayed to non-compliant mailer",
	  "The message went on to a system that cannot return delivery reports.",
	  RS, "A gateway to another mail system.",
	  "Usually nothing to do: delivery was attempted.", "delivered", FALSE, "RFC 3886" },
	{ 0, 1, 10, 10, "Recipient address has null MX",
	  "RFC 7505 uses this code for a domain that publishes a null MX; Microsoft 365 uses 5.1.10 for a recipient that was not found.",
	  RA, "A domain that announces it takes no mail, or (Microsoft) a mailbox that does not exist.",
	  "Remove the address; it cannot receive mail.",
	  "userunknown", TRUE, "RFC 7505, Microsoft 365" },
	{ 0, 1, 351, 351, "Remote server returned unknown recipient",
	  "Microsoft 365 relays the next server's answer: the recipient does not exist there.",
	  RA, "A mailbox that was deleted or never existed on the final server.",
	  "Remove the address from your list.",
	  "userunknown", TRUE, "Microsoft 365" },

	/* X.2.x: the mailbox */
	{ 0, 2, 0, 0, "Other or undefined mailbox status",
	  "The mailbox exists but something about it stops delivery.",
	  RS, "A mailbox that is locked, filtered or otherwise unavailable.",
	  "Try again later; if it keeps failing, contact the recipient another way.",
	  "filtered", FALSE, "RFC 3463" },
	{ 0, 2, 1, 1, "Mailbox disabled, not accepting messages",
	  "The mailbox exists but is switched off or suspended.",
	  RS, "An account suspended for non-payment or inactivity, or disabled by its administrator.",
	  "Stop sending for now; the person must reactivate the account or give another address.",
	  "suspend", TRUE, "RFC 3463" },
	{ 0, 2, 2, 2, "Mailbox full",
	  "The recipient's mailbox is over its storage quota.",
	  RS, "An abandoned mailbox that fills up, or a user who never deletes mail.",
	  "Retry later; if it stays full for days, treat the address as abandoned.",
	  "mailboxfull", TRUE, "RFC 3463" },
	{ 4, 2, 2, 2, "Mailbox full (temporary)",
	  "The recipient's mailbox is over quota for now; the server will take mail again once space is freed.",
	  RS, "A mailbox that filled up recently.",
	  "Let your server keep retrying; no action unless it turns permanent.",
	  "mailboxfull", TRUE, "RFC 3463" },
	{ 0, 2, 3, 3, "Message length exceeds administrative limit",
	  "The message is bigger than the recipient's mailbox accepts.",
	  CO, "Large attachments, inline images, a per-mailbox size limit.",
	  "Send a smaller message or share large files by link.",
	  "emailtoolarge", TRUE, "RFC 3463" },
	{ 0, 2, 4, 4, "Mailing list expansion problem",
	  "The address is a mailing list that could not be expanded.",
	  RS, "A broken list definition or an empty list on the receiving side.",
	  "Tell the list owner; the problem is theirs.",
	  "systemerror", TRUE, "RFC 3463" },

	/* X.3.x: the receiving mail system */
	{ 0, 3, 0, 0, "Other or undefined mail system status",
	  "The receiving mail system had a problem of its own.",
	  RS, "A crashed delivery agent, a configuration error, a full spool.",
	  "Retry later; report it to the receiving postmaster if it persists.",
	  "systemerror", FALSE, "RFC 3463" },
	{ 0, 3, 1, 1, "Mail system full",
	  "The receiving server has run out of disk space.",
	  RS, "A full spool or mail store on the receiving side.",
	  "Retry later; the receiving site has to free space.",
	  "systemfull", TRUE, "RFC 3463" },
	{ 0, 3, 2, 2, "System not accepting network messages",
	  "The receiving host does not take mail from the network at all, or not now.",
	  RS, "A host that is shutting down, in maintenance, or not meant to receive mail.",
	  "Check the MX records of the domain; retry later if it is maintenance.",
	  "notaccept", TRUE, "RFC 3463" },
	{ 0, 3, 3, 3, "System not capable of selected features",
	  "The message needs a feature the receiving server lacks.",
	  RS, "8BITMIME, SMTPUTF8, BINARYMIME or a DSN option the server does not offer.",
	  "Send the message in plain 7-bit form or without the extension.",
	  "contenterror", TRUE, "RFC 3463" },
	{ 0, 3, 4, 4, "Message too big for system",
	  "The message is bigger than the server accepts for any mailbox.",
	  CO, "Attachments past the site's size limit (often 10 to 35 MB after encoding).",
	  "Send a smaller message or share large files by link.",
	  "emailtoolarge", TRUE, "RFC 3463" },
	{ 0, 3, 5, 5, "System incorrectly configured",
	  "The receiving mail system is misconfigured.",
	  RS, "Broken routing or transport settings on the receiving side.",
	  "Report it to the receiving postmaster; retry later.",
	  "systemerror", TRUE, "RFC 3886" },
	{ 0, 3, 6, 6, "Requested priority was changed",
	  "The message was accepted at a different priority than requested.",
	  RS, "A server that does not honour MT-PRIORITY fully.",
	  "Nothing to do.", "delivered", FALSE, "RFC 6710" },

	/* X.4.x: network and routing */
	{ 0, 4, 0, 0, "Other or undefined network or routing status",
	  "Something went wrong between the servers.",
	  NE, "DNS trouble, dropped connections, routing mistakes.",
	  "Retry later; check the domain's MX records if it keeps failing.",
	  "networkerror", FALSE, "RFC 3463" },
	{ 0, 4, 1, 1, "No answer from host",
	  "The receiving server did not answer the connection.",
	  NE, "A server that is down, a firewall, a wrong MX record.",
	  "Retry later; check that the domain's MX hosts accept connections on port 25.",
	  "networkerror", FALSE, "RFC 3463" },
	{ 5, 4, 1, 1, "Refused by the destination (no answer from host in RFC 3463)",
	  "A permanent 5.4.1 comes from a server that did answer: it refused the message or the recipient.",
	  PO, "A recipient domain that accepts mail only for known addresses or senders (Microsoft 365 directory checks among them).",
	  "Read the text: an unknown address should be removed; a refused sender should contact the domain.",
	  "rejected", FALSE, "RFC 3463, practice" },
	{ 0, 4, 2, 2, "Bad connection",
	  "The connection was made but broke during the transaction.",
	  NE, "Timeouts, resets, an overloaded receiving server.",
	  "Retry later.", "networkerror", FALSE, "RFC 3463" },
	{ 0, 4, 3, 3, "Directory server failure",
	  "A directory or DNS lookup the delivery depends on failed.",
	  RS, "An LDAP or DNS server that is down or unreachable.",
	  "Retry later.", "systemerror", TRUE, "RFC 3463" },
	{ 0, 4, 4, 4, "Unable to route",
	  "No route to the destination could be found, usually because DNS has no usable MX or A record.",
	  NE, "A domain without mail records, a typo in the domain, a DNS outage.",
	  "Check the domain's spelling and DNS; remove the address if the domain has no mail service.",
	  "hostunknown", TRUE, "RFC 3463" },
	{ 4, 4, 4, 4, "Unable to route (temporary)",
	  "The destination could not be routed right now, usually a DNS failure.",
	  NE, "A DNS timeout or a name server that answered badly.",
	  "Retry later.", "networkerror", TRUE, "RFC 3463" },
	{ 0, 4, 5, 5, "Mail system congestion",
	  "The receiving side is overloaded.",
	  RS, "Too much mail queued, too many connections, full disks.",
	  "Retry later.", "systemfull", TRUE, "RFC 3463" },
	{ 0, 4, 6, 6, "Routing loop detected",
	  "The message went round in circles between servers.",
	  NE, "Forwarding rules or MX records that point back at each other; too many Received headers.",
	  "Tell the receiving postmaster; check your own forwarding rules.",
	  "networkerror", TRUE, "RFC 3463" },
	{ 0, 4, 7, 7, "Delivery time expired",
	  "The message stayed in the queue longer than allowed and was given up.",
	  NE, "A destination that was unreachable or refused with temporary errors for days.",
	  "Check why the earlier attempts failed; resend later if the address is good.",
	  "expired", TRUE, "RFC 3463" },
	{ 0, 4, 14, 14, "Hop count exceeded",
	  "Microsoft 365 found the message passing through too many servers: a loop.",
	  NE, "Forwarding or connector settings that loop.",
	  "Tell the receiving administrator to fix the loop.",
	  "networkerror", TRUE, "Microsoft 365" },
	{ 0, 4, 316, 318, "Message expired, connection refused or dropped",
	  "Microsoft 365 gave up after the next server kept refusing or dropping the connection.",
	  NE, "A receiving server that is down or blocks Microsoft's outbound servers.",
	  "Check that the destination accepts mail; resend later.",
	  "expired", TRUE, "Microsoft 365" },

	/* X.5.x: the SMTP dialogue */
	{ 0, 5, 0, 0, "Other or undefined protocol status",
	  "The SMTP dialogue failed for a reason the code does not name.",
	  RS, "Anything from a rejected command to a server quirk.",
	  "Read the diagnostic text.", "undefined", FALSE, "RFC 3463" },
	{ 0, 5, 1, 1, "Invalid command",
	  "The server did not understand or does not allow a command.",
	  SE, "A client that sends commands the server does not support, or in the wrong state.",
	  "Check the sending software; this is a protocol bug, not a recipient problem.",
	  "syntaxerror", TRUE, "RFC 3463" },
	{ 0, 5, 2, 2, "Syntax error",
	  "A command had a syntax error.",
	  SE, "A sending program that writes malformed SMTP.",
	  "Fix or update the sending software.", "syntaxerror", TRUE, "RFC 3463" },
	{ 0, 5, 3, 3, "Too many recipients",
	  "The message had more recipients than the server takes at once.",
	  SE, "A large RCPT list in one transaction.",
	  "Split the recipients over several transactions.",
	  "ratelimited", TRUE, "RFC 3463" },
	{ 0, 5, 4, 4, "Invalid command arguments",
	  "A command carried an argument the server refused.",
	  SE, "A bad parameter to MAIL or RCPT, an unknown ESMTP option.",
	  "Check the sending software's options.", "syntaxerror", TRUE, "RFC 3463" },
	{ 0, 5, 5, 5, "Wrong protocol version",
	  "The two servers do not speak compatible protocol versions.",
	  SE, "Very old or unusual software at one end.",
	  "Update the sending software.", "syntaxerror", TRUE, "RFC 3463" },
	{ 0, 5, 6, 6, "Authentication exchange line is too long",
	  "An AUTH line was longer than the server accepts.",
	  SE, "A large authentication token sent in one line.",
	  "Use a client that splits the AUTH exchange.", "securityerror", TRUE, "RFC 4954" },

	/* X.6.x: media and content */
	{ 0, 6, 0, 0, "Other or undefined media error",
	  "Something in the content of the message was refused.",
	  CO, "Broken MIME, an attachment type the site refuses, bad encoding.",
	  "Check the message's structure and attachments.", "contenterror", FALSE, "RFC 3463" },
	{ 0, 6, 1, 1, "Media not supported",
	  "The message has a content type the receiver will not take.",
	  CO, "Executable or archive attachments, unusual MIME types.",
	  "Remove or change the attachment.", "contenterror", TRUE, "RFC 3463" },
	{ 0, 6, 2, 2, "Conversion required and prohibited",
	  "The content would need converting, and the message forbids that.",
	  CO, "8-bit content to a 7-bit-only path with conversion disallowed.",
	  "Send the message in 7-bit encoding.", "contenterror", TRUE, "RFC 3463" },
	{ 0, 6, 3, 3, "Conversion required but not supported",
	  "The content would need converting, and the server cannot do it.",
	  CO, "8-bit or binary content to a server without 8BITMIME.",
	  "Encode the message as quoted-printable or base64.", "contenterror", TRUE, "RFC 3463" },
	{ 0, 6, 4, 4, "Conversion with loss performed",
	  "The content was converted and something was lost.",
	  CO, "A gateway that downgraded the message.",
	  "Check what the recipient received.", "contenterror", TRUE, "RFC 3463" },
	{ 0, 6, 5, 5, "Conversion failed",
	  "The server tried to convert the content and failed.",
	  CO, "Malformed encodings or character sets.",
	  "Check the message's encoding.", "contenterror", TRUE, "RFC 3463" },
	{ 0, 6, 6, 6, "Message content not available",
	  "Content referred to by the message could not be fetched.",
	  CO, "A BURL reference that no longer resolves.",
	  "Resend the message with its content included.", "contenterror", TRUE, "RFC 4468" },
	{ 0, 6, 7, 7, "Non-ASCII addresses not permitted",
	  "An internationalised (UTF-8) address was used where it is not allowed.",
	  CO, "A UTF-8 address sent to or through a server without SMTPUTF8.",
	  "Use an ASCII address for this recipient.", "contenterror", TRUE, "RFC 6531" },
	{ 0, 6, 8, 8, "UTF-8 string reply required but not permitted",
	  "The server needs to answer in UTF-8 and the client did not allow it.",
	  CO, "A client without SMTPUTF8 talking about an internationalised address.",
	  "Use a client that supports SMTPUTF8.", "contenterror", TRUE, "RFC 6531" },
	{ 0, 6, 9, 9, "UTF-8 header message cannot be transferred",
	  "A message with UTF-8 headers could not be passed on.",
	  CO, "A hop without SMTPUTF8 support.",
	  "Send with ASCII headers or through a path that supports SMTPUTF8.",
	  "contenterror", TRUE, "RFC 6531" },
	{ 0, 6, 10, 10, "UTF-8 string reply required but not permitted (duplicate of X.6.8)",
	  "Registered twice by mistake; it means the same as X.6.8.",
	  CO, "A client without SMTPUTF8 talking about an internationalised address.",
	  "Use a client that supports SMTPUTF8.", "contenterror", TRUE, "RFC 6531" },

	/* X.7.x: security and policy */
	{ 0, 7, 0, 0, "Other or undefined security status",
	  "A security or policy rule stopped the message; the code does not say which.",
	  PO, "Spam filters, blocklists, authentication checks, local rules.",
	  "Read the diagnostic text for the rule that applied.",
	  "securityerror", FALSE, "RFC 3463" },
	{ 4, 7, 0, 0, "Other or undefined security status (temporary)",
	  "The server deferred the message for a security or policy reason, often rate or reputation.",
	  PO, "Sending too fast, a new IP without reputation, greylisting, a TLS problem.",
	  "Slow down and let your server retry; check reputation and authentication.",
	  "ratelimited", FALSE, "RFC 3463" },
	{ 0, 7, 1, 1, "Delivery not authorized, message refused",
	  "The receiving site refused the message by its own rules.",
	  PO, "A blocklisted IP, spam filtering, relaying denied, a recipient who accepts only some senders.",
	  "Read the diagnostic text: it usually names the rule; fix that and resend.",
	  "securityerror", FALSE, "RFC 3463" },
	{ 4, 7, 1, 1, "Delivery not authorized (temporary)",
	  "The receiving site deferred the message by its own rules.",
	  PO, "Greylisting, a sender check that could not finish, a temporary block.",
	  "Let your server retry; check the diagnostic text.",
	  "blocked", FALSE, "RFC 3463" },
	{ 0, 7, 2, 2, "Mailing list expansion prohibited",
	  "You may not send to this mailing list.",
	  PO, "A list open only to members or to certain senders.",
	  "Ask the list owner for permission, or stop sending to the list.",
	  "rejected", TRUE, "RFC 3463" },
	{ 0, 7, 3, 3, "Security conversion required but not possible",
	  "The message would need a security conversion that cannot be done.",
	  CO, "An encrypted or signed message that a gateway cannot handle.",
	  "Send the message without that protection, or through another path.",
	  "securityerror", TRUE, "RFC 3463" },
	{ 0, 7, 4, 4, "Security features not supported",
	  "The message asks for security features the receiver lacks.",
	  SE, "A requirement for TLS or signing the other side cannot meet.",
	  "Relax the requirement or use another path.", "securityerror", TRUE, "RFC 3463" },
	{ 0, 7, 5, 5, "Cryptographic failure",
	  "A cryptographic operation failed on the receiving side.",
	  SE, "A broken signature or certificate.",
	  "Check your signing and certificates.", "securityerror", TRUE, "RFC 3463" },
	{ 0, 7, 6, 6, "Cryptographic algorithm not supported",
	  "The message uses an algorithm the receiver does not support.",
	  SE, "An unusual cipher or signature algorithm.",
	  "Use a common algorithm.", "securityerror", TRUE, "RFC 3463" },
	{ 0, 7, 7, 7, "Message integrity failure",
	  "The receiver found the message damaged or tampered with.",
	  CO, "Content changed in transit, a signature that no longer matches.",
	  "Check what changes the message on its way out.", "policyviolation", TRUE, "RFC 3463" },
	{ 0, 7, 8, 8, "Authentication credentials invalid",
	  "SMTP authentication failed: wrong user name or password.",
	  SE, "Changed passwords, expired app passwords, a misconfigured relay.",
	  "Fix the credentials your server uses to log in.", "securityerror", TRUE, "RFC 4954" },
	{ 0, 7, 9, 9, "Authentication mechanism is too weak",
	  "The SMTP login method is not strong enough for the server.",
	  SE, "PLAIN or LOGIN without TLS; some providers also use 5.7.9 for policy refusals.",
	  "Log in over TLS with a stronger mechanism; read the text for a policy reason.",
	  "securityerror", FALSE, "RFC 4954" },
	{ 0, 7, 10, 10, "Encryption needed",
	  "The server requires an encrypted connection for this.",
	  SE, "Plain-text sending to a server that insists on TLS.",
	  "Enable STARTTLS on the sending side.", "failedstarttls", TRUE, "RFC 5248" },
	{ 0, 7, 11, 11, "Encryption required for requested authentication mechanism",
	  "The login method chosen needs TLS first.",
	  SE, "AUTH PLAIN or LOGIN before STARTTLS.",
	  "Enable STARTTLS before authenticating.", "failedstarttls", TRUE, "RFC 4954" },
	{ 0, 7, 12, 12, "A password transition is needed",
	  "The account must change its password before it can log in.",
	  SE, "A password policy on the submission server.",
	  "Change the account's password.", "securityerror", TRUE, "RFC 4954" },
	{ 0, 7, 13, 13, "User account disabled",
	  "The account is disabled.",
	  RS, "A suspended or locked account (the recipient's, or the sender's on a submission server).",
	  "Stop sending until the account is enabled again.", "suspend", TRUE, "RFC 5248" },
	{ 0, 7, 14, 14, "Trust relationship required",
	  "The receiving server needs a trust arrangement with the sender first.",
	  SE, "A closed system that takes mail only from known partners.",
	  "Arrange the trust (for example a connector or allow-list) with the receiving site.",
	  "securityerror", TRUE, "RFC 5248" },
	{ 0, 7, 15, 15, "Priority level is too low",
	  "The message's priority is below what the server accepts now.",
	  SE, "MT-PRIORITY rules on a busy server.",
	  "Resend later or with a higher priority.", "policyviolation", TRUE, "RFC 6710" },
	{ 0, 7, 16, 16, "Message is too big for the specified priority",
	  "The message is too large for the priority requested.",
	  CO, "MT-PRIORITY size limits.",
	  "Send it with a lower priority or make it smaller.", "emailtoolarge", TRUE, "RFC 6710" },
	{ 0, 7, 17, 17, "Mailbox owner has changed",
	  "The address now belongs to someone else.",
	  RA, "A reassigned address (RRVS check).",
	  "Remove the address: the person you know is gone.", "hasmoved", TRUE, "RFC 7293" },
	{ 0, 7, 18, 18, "Domain owner has changed",
	  "The recipient's domain has a new owner.",
	  RA, "A domain that expired and was registered again (RRVS check).",
	  "Remove the address.", "hasmoved", TRUE, "RFC 7293" },
	{ 0, 7, 19, 19, "RRVS test cannot be completed",
	  "The server could not check whether the mailbox changed owner.",
	  RS, "A server that does not keep the data RRVS needs.",
	  "Resend without the RRVS option.", "systemerror", TRUE, "RFC 7293" },
	{ 0, 7, 20, 20, "No passing DKIM signature found",
	  "The message had no DKIM signature that verified.",
	  SE, "No signing, or a signature broken by changes in transit.",
	  "Sign outgoing mail with DKIM and keep the DNS key published.", "authfailure", TRUE, "RFC 7372" },
	{ 0, 7, 21, 21, "No acceptable DKIM signature found",
	  "DKIM signatures verified, but none the receiver accepts.",
	  SE, "Weak keys, the wrong signing domain.",
	  "Sign with your own domain and a key of at least 1024 bits.", "authfailure", TRUE, "RFC 7372" },
	{ 0, 7, 22, 22, "No valid author-matched DKIM signature found",
	  "No valid DKIM signature matches the domain in the From header.",
	  SE, "Mail signed only by a sending service's domain.",
	  "Sign with the From domain (aligned DKIM).", "authfailure", TRUE, "RFC 7372" },
	{ 0, 7, 23, 23, "SPF validation failed",
	  "The sending IP is not allowed by the sender domain's SPF record.",
	  SE, "A new sending service not added to SPF, forwarding, a typo in the record.",
	  "Add the sending IPs or service to your SPF record.", "authfailure", TRUE, "RFC 7372" },
	{ 0, 7, 24, 24, "SPF validation error",
	  "The SPF record could not be evaluated.",
	  SE, "A syntax error, too many DNS lookups, a DNS failure.",
	  "Fix the SPF record (at most 10 lookups).", "authfailure", TRUE, "RFC 7372" },
	{ 0, 7, 25, 25, "Reverse DNS validation failed",
	  "The sending IP has no matching reverse DNS (PTR) name.",
	  SE, "A missing PTR record, or one whose name does not resolve back to the IP.",
	  "Ask your IP provider to set a PTR record that resolves back to the IP.",
	  "requireptr", TRUE, "RFC 7372" },
	{ 0, 7, 26, 26, "Multiple authentication checks failed",
	  "The message failed several authentication checks (SPF, DKIM, DMARC).",
	  SE, "Unauthenticated mail, or a DMARC policy of reject on the From domain.",
	  "Publish SPF, sign with DKIM, align both with the From domain.", "authfailure", TRUE, "RFC 7372" },
	{ 0, 7, 27, 27, "Sender address has null MX",
	  "Your envelope sender's domain publishes a null MX: it can never get replies.",
	  SE, "Sending from a domain that announces it takes no mail.",
	  "Send from a domain that can receive mail.", "notaccept", TRUE, "RFC 7505" },
	{ 0, 7, 28, 28, "Mail flood detected",
	  "The receiver saw an unusual volume or rate of mail from you.",
	  SE, "Bulk sending that looks like spam, a compromised account.",
	  "Slow down, check for abuse, send only to people who asked.", "ratelimited", TRUE, "IANA, Gmail" },
	{ 0, 7, 29, 29, "ARC validation failure",
	  "The message's ARC chain did not validate.",
	  SE, "An intermediary that breaks or forges ARC seals.",
	  "Check the forwarding path that adds ARC headers.", "authfailure", TRUE, "RFC 8617" },
	{ 0, 7, 30, 30, "REQUIRETLS support required",
	  "The message needs REQUIRETLS and a hop does not support it.",
	  NE, "A server on the path without REQUIRETLS.",
	  "Send without REQUIRETLS or to a path that supports it.", "failedstarttls", TRUE, "RFC 8689" },
	{ 0, 7, 54, 54, "Unable to relay to a non-accepted domain",
	  "Microsoft 365 will not relay for your server to this domain.",
	  SE, "A connector that does not recognise the sending server.",
	  "Authenticate or set up an inbound connector for your server.", "norelaying", TRUE, "Microsoft 365" },
	{ 0, 7, 57, 57, "Client not authenticated to send anonymous mail",
	  "Microsoft 365 requires SMTP authentication on this endpoint.",
	  SE, "A device or application sending without logging in.",
	  "Authenticate before MAIL FROM, or use the MX endpoint instead.", "securityerror", TRUE, "Microsoft 365" },
	{ 0, 7, 64, 64, "Tenant attribution; relay access denied",
	  "Microsoft 365 could not tie your server to a tenant allowed to relay.",
	  SE, "A missing or mismatched connector.",
	  "Fix the connector's IP or certificate.", "norelaying", TRUE, "Microsoft 365" },
	{ 0, 7, 124, 124, "Sender not allowed to send to this group",
	  "The recipient is a group that only certain senders may write to.",
	  PO, "A distribution list restricted to members.",
	  "Ask the group owner to allow you.", "rejected", TRUE, "Microsoft 365" },
	{ 0, 7, 133, 136, "Sender not allowed to send to this recipient or group",
	  "Microsoft 365 refused: the recipient or group accepts only authenticated or listed senders.",
	  PO, "A group or mailbox restricted to internal senders.",
	  "Ask the recipient's administrator to allow you.", "rejected", TRUE, "Microsoft 365" },
	{ 0, 7, 501, 501, "Access denied, spam abuse detected",
	  "Microsoft 365 banned the sending account for spam.",
	  SE, "A compromised or abusive account.",
	  "Secure the account and contact the provider.", "blocked", TRUE, "Microsoft 365" },
	{ 0, 7, 503, 503, "Access denied, banned sender",
	  "Microsoft 365 banned the sending domain or address.",
	  SE, "Spam complaints or abuse from the sender.",
	  "Request delisting through the provider's sender portal.", "blocked", TRUE, "Microsoft 365" },
	{ 0, 7, 504, 504, "Recipient address rejected: access denied",
	  "The recipient domain checks addresses against its directory and this one is not there.",
	  RA, "A mailbox that does not exist (directory-based edge blocking).",
	  "Remove the address.", "userunknown", TRUE, "Microsoft 365" },
	{ 0, 7, 505, 508, "Access denied, sender or IP blocked",
	  "Microsoft 365 refused the sender: its IP or domain is on a block list.",
	  SE, "A poor IP reputation, a listing on a public or Microsoft block list.",
	  "Request delisting through the provider's sender portal.", "blocked", TRUE, "Microsoft 365" },
	{ 0, 7, 509, 509, "Access denied, DMARC failure",
	  "The sending domain failed DMARC and its policy says reject.",
	  SE, "Mail not signed or sent from IPs outside SPF for the From domain.",
	  "Align SPF or DKIM with the From domain.", "authfailure", TRUE, "Microsoft 365" },
	{ 0, 7, 510, 511, "Access denied, banned sender",
	  "Microsoft 365 banned the sending IP or domain.",
	  SE, "Spam or abuse from the sender.",
	  "Request delisting through the provider's sender portal.", "blocked", TRUE, "Microsoft 365" },
	{ 0, 7, 512, 512, "Message must be RFC 5322 section 3.6.2 compliant",
	  "The message has no valid From header.",
	  CO, "A missing or malformed From header.",
	  "Fix the From header of your messages.", "notcompliantrfc", TRUE, "Microsoft 365" },
	{ 0, 7, 513, 513, "Service unavailable, client host blocked",
	  "Microsoft 365 refused the sending host.",
	  SE, "Suspicious traffic from the sending IP.",
	  "Request delisting through the provider's sender portal.", "blocked", TRUE, "Microsoft 365" },
	{ 0, 7, 606, 649, "Access denied, banned sending IP",
	  "Microsoft 365 banned the sending IP address.",
	  SE, "Spam from the IP or its neighbours.",
	  "Request delisting through the provider's sender portal.", "blocked", TRUE, "Microsoft 365" },
	{ 0, 7, 650, 699, "Sending IP rate limited or blocked for reputation",
	  "Microsoft 365 limits the sending IP because of its reputation.",
	  SE, "Complaints, spam-trap hits, sudden volume from a new IP.",
	  "Slow down, warm the IP up, clean your list.", "badreputation", TRUE, "Microsoft 365" },
	{ 0, 7, 700, 750, "Tenant has exceeded limits or is not provisioned",
	  "Microsoft 365 blocked outbound mail from the sending tenant.",
	  SE, "Outbound spam from the tenant, or an unverified domain.",
	  "Contact Microsoft support for the tenant.", "blocked", TRUE, "Microsoft 365" },
	{ 4, 7, 500, 649, "Server busy or sending IP throttled",
	  "Microsoft 365 is limiting mail from the sending IP for now.",
	  SE, "A new IP, a spike in volume, a reputation dip.",
	  "Let your server retry more slowly.", "ratelimited", TRUE, "Microsoft 365" },
	{ 4, 7, 26, 26, "Unauthenticated mail deferred",
	  "The receiver deferred mail that failed authentication checks.",
	  SE, "Missing SPF or DKIM, or a DMARC failure.",
	  "Publish SPF and DKIM for the sending domain.", "authfailure", TRUE, "Gmail" },
};

static const BounceReplyInfo reply_rows[] = {
	{ 101, "Cannot open connection",
	  "Not an SMTP reply: the sending program could not open a connection.",
	  BOUNCE_SEVERITY_TRANSIENT, NE, "A receiving server that is down or a firewall in the way.",
	  "Retry later; check that the destination's MX hosts are reachable.",
	  "networkerror", "client programs" },
	{ 111, "Connection refused",
	  "Not an SMTP reply: the connection was refused (errno 111, as qmail reports it).",
	  BOUNCE_SEVERITY_TRANSIENT, NE, "Nothing listening on port 25, or a firewall rejecting it.",
	  "Retry later; check the destination's MX hosts.",
	  "networkerror", "qmail" },
	{ 211, "System status",
	  "A status or help reply, not a delivery result.",
	  BOUNCE_SEVERITY_SUCCESS, RS, "An answer to a status query.",
	  "Nothing to do.", "delivered", "RFC 5321" },
	{ 214, "Help message",
	  "A help text, not a delivery result.",
	  BOUNCE_SEVERITY_SUCCESS, RS, "An answer to HELP.",
	  "Nothing to do.", "delivered", "RFC 5321" },
	{ 220, "Service ready",
	  "The server greeted the client and is ready.",
	  BOUNCE_SEVERITY_SUCCESS, RS, "A normal connection.",
	  "Nothing to do.", "delivered", "RFC 5321" },
	{ 221, "Service closing transmission channel",
	  "The server closed the connection normally.",
	  BOUNCE_SEVERITY_SUCCESS, RS, "The end of a session.",
	  "Nothing to do.", "delivered", "RFC 5321" },
	{ 250, "Requested mail action okay, completed",
	  "The command succeeded; after DATA it means the message was accepted.",
	  BOUNCE_SEVERITY_SUCCESS, RS, "Normal delivery.",
	  "Nothing to do.", "delivered", "RFC 5321" },
	{ 251, "User not local; will forward",
	  "The recipient is elsewhere and the server will forward the message.",
	  BOUNCE_SEVERITY_SUCCESS, RA, "A forwarding address on the receiving side.",
	  "Nothing to do; update the address if you learn the new one.", "delivered", "RFC 5321" },
	{ 252, "Cannot verify user, but will accept and attempt delivery",
	  "The server accepted the recipient without checking it.",
	  BOUNCE_SEVERITY_SUCCESS, RA, "A server that does not reveal which addresses exist.",
	  "Nothing to do; a bounce may still follow.", "delivered", "RFC 5321" },
	{ 334, "Server challenge",
	  "An intermediate step of SMTP authentication.",
	  BOUNCE_SEVERITY_INTERMEDIATE, SE, "The AUTH exchange in progress.",
	  "Nothing to do by itself; look for the final reply.", "undefined", "RFC 4954" },
	{ 354, "Start mail input",
	  "The server is ready for the message body.",
	  BOUNCE_SEVERITY_INTERMEDIATE, RS, "The DATA command was accepted.",
	  "Nothing to do by itself; look for the reply after the body.", "undefined", "RFC 5321" },
	{ 421, "Service not available, closing transmission channel",
	  "The server is refusing connections or closing this one for now.",
	  BOUNCE_SEVERITY_TRANSIENT, RS, "Overload, maintenance, rate limits, a temporary block on the sending IP.",
	  "Let your server retry; slow down if it repeats.", "ratelimited", "RFC 5321" },
	{ 432, "A password transition is needed",
	  "The account must change its password before it may log in.",
	  BOUNCE_SEVERITY_TRANSIENT, SE, "A password policy on the submission server.",
	  "Change the account's password.", "securityerror", "RFC 4954" },
	{ 450, "Requested mail action not taken: mailbox unavailable",
	  "The mailbox cannot be used right now.",
	  BOUNCE_SEVERITY_TRANSIENT, RS, "A busy or locked mailbox, greylisting, a policy check that could not finish.",
	  "Let your server retry.", "blocked", "RFC 5321" },
	{ 451, "Requested action aborted: local error in processing",
	  "The server had a temporary problem of its own.",
	  BOUNCE_SEVERITY_TRANSIENT, RS, "A failed lookup, a full disk, greylisting, a crashed filter.",
	  "Let your server retry.", "systemerror", "RFC 5321" },
	{ 452, "Requested action not taken: insufficient system storage",
	  "The server is out of space, or the transaction has too many recipients.",
	  BOUNCE_SEVERITY_TRANSIENT, RS, "A full spool or mailbox, or more recipients than allowed in one go.",
	  "Let your server retry; split large recipient lists.", "systemfull", "RFC 5321" },
	{ 454, "Temporary authentication failure, or TLS not available",
	  "Authentication or STARTTLS could not be done right now.",
	  BOUNCE_SEVERITY_TRANSIENT, SE, "A directory outage, or TLS not offered at the moment.",
	  "Retry later.", "failedstarttls", "RFC 4954, RFC 3207" },
	{ 455, "Server unable to accommodate parameters",
	  "The server cannot handle the MAIL or RCPT parameters now.",
	  BOUNCE_SEVERITY_TRANSIENT, SE, "ESMTP options the server cannot honour at the moment.",
	  "Retry later or without the options.", "syntaxerror", "RFC 5321" },
	{ 471, "Local error or temporary filter rejection",
	  "Not in RFC 5321; servers use it for a temporary local failure, often a content filter.",
	  BOUNCE_SEVERITY_TRANSIENT, RS, "A spam or virus scanner that failed or deferred the message.",
	  "Let your server retry.", "systemerror", "practice" },
	{ 500, "Syntax error, command unrecognized",
	  "The server did not recognise the command or line.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "A protocol error by the client, or a line that was too long.",
	  "Check the sending software.", "syntaxerror", "RFC 5321" },
	{ 501, "Syntax error in parameters or arguments",
	  "A command's argument was malformed, often the address itself.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "A malformed address in MAIL FROM or RCPT TO, bad HELO name.",
	  "Check the addresses and HELO name your software sends.", "syntaxerror", "RFC 5321" },
	{ 502, "Command not implemented",
	  "The server does not support that command.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "An optional command or extension the server lacks.",
	  "Use only standard commands.", "syntaxerror", "RFC 5321" },
	{ 503, "Bad sequence of commands",
	  "The commands came in the wrong order.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "RCPT before MAIL, or sending before the server allowed it (often: authentication needed first).",
	  "Check the sending software; authenticate first if the server needs it.", "syntaxerror", "RFC 5321" },
	{ 504, "Command parameter not implemented",
	  "The server does not support a parameter the client used.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "An unsupported AUTH mechanism or ESMTP option.",
	  "Use a supported option.", "syntaxerror", "RFC 5321" },
	{ 521, "Server does not accept mail",
	  "The host announces that it never accepts mail.",
	  BOUNCE_SEVERITY_PERMANENT, RA, "A domain or host set up not to receive mail.",
	  "Remove addresses at this domain.", "notaccept", "RFC 7504" },
	{ 523, "Message too large for the recipient",
	  "Not in RFC 5321; some servers use it for a size limit.",
	  BOUNCE_SEVERITY_PERMANENT, CO, "A message larger than the recipient accepts.",
	  "Send a smaller message.", "emailtoolarge", "practice" },
	{ 525, "User account disabled",
	  "The account is disabled.",
	  BOUNCE_SEVERITY_PERMANENT, RS, "A suspended account.",
	  "Stop sending until it is enabled again.", "suspend", "RFC 5248" },
	{ 530, "Authentication required",
	  "The server requires SMTP authentication (or STARTTLS) before this command.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "Sending to a submission port, or a relay that needs a login.",
	  "Authenticate, or send through the domain's MX instead.", "securityerror", "RFC 4954" },
	{ 534, "Authentication mechanism is too weak",
	  "The login method is not strong enough.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "PLAIN or LOGIN where the server wants more.",
	  "Use a stronger mechanism over TLS.", "securityerror", "RFC 4954" },
	{ 535, "Authentication credentials invalid",
	  "The SMTP login failed.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "A wrong or expired password, a locked account.",
	  "Fix the credentials.", "securityerror", "RFC 4954" },
	{ 538, "Encryption required for requested authentication mechanism",
	  "The login method needs TLS first.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "AUTH before STARTTLS.",
	  "Enable STARTTLS before authenticating.", "failedstarttls", "RFC 4954" },
	{ 541, "Message rejected by the recipient's server",
	  "Not in RFC 5321; used by several filters when they refuse a message.",
	  BOUNCE_SEVERITY_PERMANENT, PO, "Spam or content filtering, a recipient-domain rule.",
	  "Read the diagnostic text for the rule.", "rejected", "practice" },
	{ 550, "Requested action not taken: mailbox unavailable",
	  "The command was refused for good; most often the mailbox does not exist, but servers also use 550 for policy refusals.",
	  BOUNCE_SEVERITY_PERMANENT, RA, "An unknown user, a blocked sender, a spam verdict.",
	  "Read the status code and text to tell which; remove the address only if it does not exist.",
	  "userunknown", "RFC 5321" },
	{ 551, "User not local; please try another path",
	  "The recipient is not handled here, and the server will not forward.",
	  BOUNCE_SEVERITY_PERMANENT, RA, "A moved user, or relaying refused.",
	  "Use the recipient's current address.", "hasmoved", "RFC 5321" },
	{ 552, "Requested mail action aborted: exceeded storage allocation",
	  "The mailbox is full or the message is larger than allowed.",
	  BOUNCE_SEVERITY_PERMANENT, RS, "An over-quota mailbox, or a message past a size limit.",
	  "Check the text: free space is the recipient's job; size is yours.", "mailboxfull", "RFC 5321" },
	{ 553, "Requested action not taken: mailbox name not allowed",
	  "The address is not acceptable: bad syntax or not allowed here.",
	  BOUNCE_SEVERITY_PERMANENT, RA, "A malformed address, or a sender the server refuses.",
	  "Check the address syntax on both sides.", "userunknown", "RFC 5321" },
	{ 554, "Transaction failed",
	  "The server refused the transaction; in a greeting it means no service for this client.",
	  BOUNCE_SEVERITY_PERMANENT, PO, "Blocklists, spam filters, content rules, no service for the client.",
	  "Read the status code and text for the rule that applied.", "rejected", "RFC 5321" },
	{ 555, "MAIL FROM/RCPT TO parameters not recognized or not implemented",
	  "The server does not accept an ESMTP parameter the client sent.",
	  BOUNCE_SEVERITY_PERMANENT, SE, "A parameter such as SIZE or SMTPUTF8 the server lacks.",
	  "Send without the parameter.", "syntaxerror", "RFC 5321" },
	{ 556, "Domain does not accept mail",
	  "The recipient's domain announces that it takes no mail (null MX).",
	  BOUNCE_SEVERITY_PERMANENT, RA, "A domain that publishes a null MX record.",
	  "Remove addresses at this domain.", "notaccept", "RFC 7504" },
};

gboolean
bounce_status_parse (const char *status, guint *klass, guint *subject, guint *detail)
{
	guint v[3] = { 0, 0, 0 };
	const char *p = status;

	if (p == NULL)
		return FALSE;
	for (int i = 0; i < 3; i++) {
		int n = 0;

		while (g_ascii_isdigit (*p) && n < 4) {
			v[i] = v[i] * 10 + (guint) (*p - '0');
			p++;
			n++;
		}
		if (n == 0 || n > 3 || (i == 0 && n != 1))
			return FALSE;
		if (i < 2) {
			if (*p != '.')
				return FALSE;
			p++;
		}
	}
	if (*p != '\0')
		return FALSE;
	if (v[0] != 2 && v[0] != 4 && v[0] != 5)
		return FALSE;
	if (klass)
		*klass = v[0];
	if (subject)
		*subject = v[1];
	if (detail)
		*detail = v[2];
	return TRUE;
}

const BounceStatusInfo *
bounce_status_lookup (const char *status)
{
	const BounceStatusInfo *any = NULL;
	guint klass, subject, detail;

	if (!bounce_status_parse (status, &klass, &subject, &detail))
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS (status_rows); i++) {
		const BounceStatusInfo *row = &status_rows[i];

		if (row->subject != subject || detail < row->detail_lo || detail > row->detail_hi)
			continue;
		if (row->klass == klass)
			return row;
		if (row->klass == 0 && any == NULL)
			any = row;
	}
	/* 2.x.x codes report success whatever the subject says. */
	if (klass == 2 && any != NULL && strcmp (any->reason, "delivered") != 0)
		return &status_rows[1];
	return any;
}

const BounceStatusInfo *
bounce_status_table (gsize *n_rows)
{
	if (n_rows)
		*n_rows = G_N_ELEMENTS (status_rows);
	return status_rows;
}

const BounceReplyInfo *
bounce_reply_lookup (const char *code)
{
	guint n;

	if (code == NULL || !g_ascii_isdigit (code[0]) || !g_ascii_isdigit (code[1]) ||
	    !g_ascii_isdigit (code[2]) || code[3] != '\0')
		return NULL;
	n = (guint) (code[0] - '0') * 100 + (guint) (code[1] - '0') * 10 + (guint) (code[2] - '0');
	for (gsize i = 0; i < G_N_ELEMENTS (reply_rows); i++)
		if (reply_rows[i].code == n)
			return &reply_rows[i];
	return NULL;
}

const BounceReplyInfo *
bounce_reply_table (gsize *n_rows)
{
	if (n_rows)
		*n_rows = G_N_ELEMENTS (reply_rows);
	return reply_rows;
}

const char *
bounce_party_name (BounceParty party)
{
	switch (party) {
	case BOUNCE_PARTY_RECIPIENT_ADDRESS:	return "recipient address";
	case BOUNCE_PARTY_RECIPIENT_SYSTEM:	return "recipient system";
	case BOUNCE_PARTY_SENDER:		return "sender";
	case BOUNCE_PARTY_CONTENT:		return "content";
	case BOUNCE_PARTY_NETWORK:		return "network";
	case BOUNCE_PARTY_POLICY:		return "policy";
	}
	return "unknown";
}

const char *
bounce_severity_name (BounceSeverity severity)
{
	switch (severity) {
	case BOUNCE_SEVERITY_SUCCESS:		return "success";
	case BOUNCE_SEVERITY_INTERMEDIATE:	return "intermediate";
	case BOUNCE_SEVERITY_TRANSIENT:		return "transient";
	case BOUNCE_SEVERITY_PERMANENT:		return "permanent";
	}
	return "unknown";
}

const char *
bounce_status_class_meaning (guint klass)
{
	switch (klass) {
	case 2:	return "success: the message was delivered or relayed";
	case 4:	return "persistent transient failure: the sender's server should retry";
	case 5:	return "permanent failure: retrying the same message will not help";
	}
	return "not a valid status class";
}

const char *
bounce_status_subject_meaning (guint subject)
{
	static const char *const subjects[] = {
		"other or undefined",
		"addressing (the sender or recipient address)",
		"the recipient's mailbox",
		"the receiving mail system",
		"network and routing",
		"the SMTP dialogue",
		"message content or media",
		"security or policy",
	};

	return subject < G_N_ELEMENTS (subjects) ? subjects[subject] : "not a registered subject";
}
