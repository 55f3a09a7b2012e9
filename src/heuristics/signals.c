/*
 * heuristics/signals.c - tables of bounce senders, subjects and phrases
 *
 * DESCRIPTION	See signals.h.  The tables name what non-delivery notices
 *		say, in the languages MTAs and providers localise them to;
 *		they stay narrow on purpose: a word that an ordinary message
 *		or an out-of-office reply could use is not listed.
 */
#include "config.h"

#include <string.h>

#include "heuristics/signals.h"
#include "heuristics/text.h"

static const char *const bounce_from[] = {
	"mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster",
	"mail delivery", "maildelivery", "mail administrator", "mail system",
	"mail-daemon", "mdaemon", "delivery subsystem", "delivery status",
	"returned mail", "mailadmin", "mail-router", "nondelivery", "bounce",
	NULL
};

static const char *const bounce_subject[] = {
	/* English */
	"undeliverable", "undelivered", "undeliverd", "delivery status notification",
	"returned mail", "failure notice", "mail delivery failed", "delivery failure",
	"delivery failed", "delivery has failed", "non-delivery", "nondelivery",
	"nondeliverable", "non-deliverable", "non deliverable", "could not be delivered",
	"couldn't be delivered", "not delivered", "delivery problem", "mail system error",
	"returned to sender", "delivery notification", "mail delivery system",
	"delivery report", "permanent error", "mail failure", "message delivery failure",
	"delivery delayed", "delayed mail", "delivery warning", "warning: could not send",
	"message not sent", "bounce notification", "email bounce",
	"unable to deliver", "failed to deliver", "delivery error", "failed mail",
	/* German */
	"unzustellbar", "nicht zustellbar", "zustellung fehlgeschlagen",
	"fehler bei der zustellung", "nicht zugestellt", "zustellungsbericht",
	/* French */
	"non remis", "non-remis", "non distribu", "échec de la remise", "echec de la remise",
	"non délivré", "non delivre", "impossible de remettre",
	/* Spanish, Portuguese, Italian */
	"no se puede entregar", "no entregado", "error de entrega", "imposible entregar",
	"no se pudo entregar", "não é possível entregar", "não entregue", "nao entregue",
	"falha na entrega", "non recapitabile", "mancata consegna", "recapito fallito",
	"impossibile recapitare",
	/* Dutch, Nordic, Polish, Czech */
	"onbestelbaar", "niet bezorgd", "kan niet worden bezorgd", "onbezorgbaar",
	"olevererbar", "kunne ikke leveres", "kunde inte levereras", "ei voitu toimittaa",
	"niedostarczon", "nie można dostarczyć", "nedoručiteln", "nelze doručit",
	/* Japanese, Chinese, Korean, Russian, Turkish */
	"配信不能", "配送失敗", "配信エラー", "配送エラー", "送信できません", "未配達",
	"退信", "无法投递", "無法投遞", "未能送达", "投递失败", "发送失败",
	"전송 실패", "배달 실패", "반송",
	"недоставлен", "не доставлено", "не удалось доставить", "невозможно доставить",
	"iletilemedi", "teslim edilemedi",
	NULL
};

static const char *const bounce_text_phrases[] = {
	"could not be delivered", "couldn't be delivered", "was not delivered",
	"wasn't delivered", "could not deliver", "delivery has failed",
	"delivery to the following recipient", "permanent fatal error",
	"the following addresses had", "the following recipient", "undeliverable",
	"undelivered", "delivery failed", "failed permanently", "permanent error",
	"returned to sender", "this is the mail system at host",
	"delivery status notification", "unable to deliver", "failed to deliver",
	"non-delivery", "nondelivery", "user unknown", "unknown user", "no such user",
	"mailbox unavailable", "mailbox is full", "recipient address rejected",
	"message was rejected", "message was not delivered", "delivery to the following",
	"zustellung fehlgeschlagen", "nicht zugestellt", "unzustellbar",
	"n'a pas pu être remis", "non remis", "no se pudo entregar",
	"non è stato possibile recapitare", "não foi possível entregar",
	"kon niet worden bezorgd", "配信できません", "配送できません", "无法投递",
	"не может быть доставлено", "не доставлено",
	NULL
};

gboolean
bounce_signal_from (const char *from)
{
	return bounce_str_has_any (from, bounce_from);
}

gboolean
bounce_signal_subject (const char *subject)
{
	return bounce_str_has_any (subject, bounce_subject);
}

gboolean
bounce_signal_text (const char *text, gsize len)
{
	return bounce_text_has_any (text, len, bounce_text_phrases);
}

gboolean
bounce_signal_null_sender (const BounceScan *scan)
{
	const char *rp = bounce_scan_header (scan, "Return-Path");	/* borrowed */

	if (rp == NULL)
		return FALSE;
	while (*rp == ' ' || *rp == '\t')
		rp++;
	if (*rp == '<') {
		rp++;
		while (*rp == ' ')
			rp++;
		return *rp == '>';
	}
	return *rp == '\0';
}
