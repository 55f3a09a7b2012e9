/*
 * knowledge/reasons.c - the reason vocabulary: fault, hardness, explanation, advice
 *
 * SYNOPSIS	const BounceReasonInfo *bounce_reason_info (const char *reason);
 *		const char *bounce_reason_canonical (const char *reason);
 *		gboolean bounce_reason_is_hard (const char *reason, gboolean permanent);
 *		const char *bounce_reason_fault (const char *reason);
 * DESCRIPTION	One row per name of the 34-name vocabulary (../shared/README.md).
 *		hard is narrow on purpose: only reasons that say the address
 *		itself is bad.  fault never says "recipient" for a reason the
 *		sender must fix (blocklists, authentication, reputation, ...).
 *		Older names fold into the current ones; lookups ignore case.
 * SEE ALSO	classify.h, classify.c
 */
#include "config.h"

#include <string.h>

#include "knowledge/classify.h"

static const BounceReasonInfo reason_rows[] = {
	{ "userunknown", "recipient", TRUE, FALSE,
	  "The recipient address does not exist at the receiving domain.",
	  "Remove the address from your list; ask the person for a current one." },
	{ "hostunknown", "recipient", TRUE, FALSE,
	  "The recipient's domain does not exist or has no mail servers.",
	  "Check the domain for typos; remove the address if the domain is gone." },
	{ "hasmoved", "recipient", TRUE, FALSE,
	  "The recipient has moved and left no forwarding address.",
	  "Remove the address; use the new one if the person gives it to you." },
	{ "notaccept", "recipient", FALSE, TRUE,
	  "The receiving domain or host does not accept mail.",
	  "Remove addresses at this domain if the refusal is permanent." },
	{ "suspend", "recipient", FALSE, FALSE,
	  "The recipient's mailbox exists but is disabled or suspended.",
	  "Pause sending; remove the address if it stays suspended." },
	{ "mailboxfull", "recipient", FALSE, FALSE,
	  "The recipient's mailbox is full.",
	  "Retry later; treat the address as abandoned if it stays full for weeks." },
	{ "systemfull", "recipient", FALSE, FALSE,
	  "The receiving mail server is out of storage.",
	  "Retry later; the receiving site must free space." },
	{ "emailtoolarge", "content", FALSE, FALSE,
	  "The message is larger than the receiver accepts.",
	  "Send a smaller message; share large files by link." },
	{ "filtered", "policy", FALSE, FALSE,
	  "A filter at the receiving side refused the message for this recipient.",
	  "Check whether the recipient blocks senders or content like yours; ask them to allow you." },
	{ "contenterror", "content", FALSE, FALSE,
	  "The message content or its format was refused.",
	  "Check the message's MIME structure, headers and attachments." },
	{ "notcompliantrfc", "content", FALSE, FALSE,
	  "The message breaks the Internet message format rules (RFC 5322).",
	  "Fix the headers: one From, one Subject, one Date, valid syntax." },
	{ "spamdetected", "content", FALSE, FALSE,
	  "The receiver's filter judged the message to be spam.",
	  "Review the content, links and list hygiene; send only to people who asked." },
	{ "virusdetected", "content", FALSE, FALSE,
	  "The receiver found a virus or malware in the message.",
	  "Scan the attachment and the sending system; resend a clean message." },
	{ "policyviolation", "policy", FALSE, FALSE,
	  "The message broke a policy of the receiving site.",
	  "Read the diagnostic text for the rule; contact the receiving postmaster." },
	{ "securityerror", "sender", FALSE, FALSE,
	  "A security requirement was not met: authentication, credentials or access rules.",
	  "Check the sending server's credentials and access; authenticate if required." },
	{ "authfailure", "sender", FALSE, FALSE,
	  "The message failed sender authentication (SPF, DKIM or DMARC).",
	  "Publish SPF, sign with DKIM and align them with the From domain." },
	{ "badreputation", "sender", FALSE, FALSE,
	  "The sending IP or domain has a poor reputation at the receiver.",
	  "Lower the volume, clean the list, handle complaints, warm up new IPs." },
	{ "blocked", "sender", FALSE, FALSE,
	  "The sending IP or host is blocked, for example listed on a blocklist.",
	  "Look the IP up on the named blocklist and request delisting after fixing the cause." },
	{ "requireptr", "sender", FALSE, FALSE,
	  "The sending IP has no valid reverse DNS (PTR) record.",
	  "Set a PTR record for the sending IP that resolves back to it." },
	{ "failedstarttls", "sender", FALSE, FALSE,
	  "A TLS connection was required and could not be set up.",
	  "Enable STARTTLS with a valid certificate on the sending server." },
	{ "ratelimited", "sender", FALSE, FALSE,
	  "The receiver limited the rate of connections, messages or recipients from the sender.",
	  "Slow down and let the queue retry; spread large sends over time." },
	{ "rejected", "sender", FALSE, FALSE,
	  "The receiver refused the envelope sender or the sending domain.",
	  "Check the MAIL FROM address and domain; make sure they exist and may send." },
	{ "norelaying", "sender", FALSE, FALSE,
	  "The server refused to relay the message to a domain it does not serve.",
	  "Send to the recipient domain's own MX, or authenticate to your relay." },
	{ "networkerror", "network", FALSE, FALSE,
	  "A network or DNS problem stopped delivery.",
	  "Retry later; check the recipient domain's DNS if it keeps happening." },
	{ "expired", "network", FALSE, FALSE,
	  "Delivery was given up after the message stayed in the queue too long.",
	  "Check why earlier attempts failed; resend if the address is good." },
	{ "systemerror", "recipient", FALSE, FALSE,
	  "The receiving mail system had an internal error.",
	  "Retry later; report it to the receiving postmaster if it persists." },
	{ "mailererror", "recipient", FALSE, FALSE,
	  "The local delivery program at the receiving side failed.",
	  "Retry later; the receiving administrator must fix the delivery program." },
	{ "syntaxerror", "sender", FALSE, FALSE,
	  "The SMTP dialogue had a syntax or sequence error.",
	  "Check or update the sending software." },
	{ "suppressed", "policy", FALSE, FALSE,
	  "The sending service did not try: the address is on its suppression list.",
	  "Check why the address was suppressed before removing it from the list." },
	{ "onhold", "unknown", FALSE, FALSE,
	  "The failure could not be pinned down; the message is held for a decision.",
	  "Look at the bounce by hand." },
	{ "undefined", "unknown", FALSE, FALSE,
	  "The bounce did not say why delivery failed.",
	  "Look at the bounce by hand; retry once before removing the address." },
	{ "vacation", "recipient", FALSE, FALSE,
	  "An automatic reply (out of office or similar), not a delivery failure.",
	  "Nothing to do; the message was delivered." },
	{ "feedback", "sender", FALSE, FALSE,
	  "A complaint report (ARF): the recipient marked the message as unwanted.",
	  "Stop sending to this recipient and review how they were subscribed." },
	{ "delivered", "unknown", FALSE, FALSE,
	  "The report says the message was delivered.",
	  "Nothing to do." },
};

static const struct {
	const char *alias;
	const char *name;
} aliases[] = {
	{ "mesgtoobig", "emailtoolarge" },
	{ "exceedlimit", "emailtoolarge" },
	{ "toomanyconn", "ratelimited" },
	{ "speeding", "ratelimited" },
};

const BounceReasonInfo *
bounce_reason_info (const char *reason)
{
	if (reason == NULL || *reason == '\0')
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
		if (g_ascii_strcasecmp (reason, aliases[i].alias) == 0) {
			reason = aliases[i].name;
			break;
		}
	for (gsize i = 0; i < G_N_ELEMENTS (reason_rows); i++)
		if (g_ascii_strcasecmp (reason, reason_rows[i].name) == 0)
			return &reason_rows[i];
	return NULL;
}

const BounceReasonInfo *
bounce_reason_table (gsize *n_rows)
{
	if (n_rows)
		*n_rows = G_N_ELEMENTS (reason_rows);
	return reason_rows;
}

const char *
bounce_reason_canonical (const char *reason)
{
	const BounceReasonInfo *info = bounce_reason_info (reason);

	return info ? info->name : NULL;
}

gboolean
bounce_reason_is_hard (const char *reason, gboolean permanent)
{
	const BounceReasonInfo *info = bounce_reason_info (reason);

	if (info == NULL)
		return FALSE;
	return info->hard || (info->hard_if_permanent && permanent);
}

const char *
bounce_reason_fault (const char *reason)
{
	const BounceReasonInfo *info = bounce_reason_info (reason);

	return info ? info->fault : "unknown";
}
