/*
 * heuristics/autoreply.c - auto-replies (RFC 3834), never counted as bounces
 *
 * SYNOPSIS	const BounceDetector bounce_detectors_autoreply[];
 * DESCRIPTION	Two detectors, tried before any bounce heuristic:
 *		"rfc3834"	vacation and out-of-office replies: the RFC 3834
 *				"Auto-Submitted: auto-replied" field, the
 *				X-Autoreply / X-Autorespond family, "Precedence:
 *				auto_reply", or an out-of-office subject in one
 *				of many languages; a weaker hint (a word such as
 *				"vacation" in the subject, or an out-of-office
 *				sentence in the first lines of the text) counts
 *				only with an automatic-message mark beside it
 *				(null Return-Path, X-Auto-Response-Suppress,
 *				Auto-Submitted of any kind, Precedence bulk/junk).
 *		"challenge"	challenge/response systems (TMDA and the like)
 *				asking the sender to confirm before delivery.
 *		Both refuse any message that presents itself as a bounce:
 *		a delivery-status or feedback part, multipart/report, a
 *		MAILER-DAEMON or postmaster sender, a bounce subject, or a
 *		sentence stating that delivery failed.  Many MTAs mark their
 *		bounces "Auto-Submitted: auto-replied", so that field alone
 *		never outweighs a bounce signal.  X-Auto-Response-Suppress
 *		only asks others not to answer: it is no signal by itself.
 *		The report is BOUNCE_KIND_AUTOREPLY with one recipient, the
 *		auto-replier (From), reason "vacation", no action; it is
 *		printed only with --all.
 * SEE ALSO	RFC 3834 s5, heuristics/signals.h, tests/check_reports.c
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "heuristics/signals.h"
#include "heuristics/text.h"

/* Bytes of text read for phrases: an auto-reply says what it is at once. */
#define HEAD_TEXT 4096

/* A subject containing one of these is an auto-reply whatever else it says. */
static const char *const vacation_subject_strong[] = {
	/* English */
	"out of office", "out of the office", "automatic reply", "automatic response",
	"automated reply", "automated response", "auto-reply", "autoreply", "auto reply",
	"auto-response", "autoresponse", "auto response", "auto-responder", "autoresponder",
	"away from the office", "away from my mail", "away from my email", "away from the desk",
	"vacation reply", "vacation notice", "vacation message", "holiday notice",
	"out-of-office", "abwesenheitsnotiz",
	/* German */
	"automatische antwort", "automatische rückantwort", "automatische benachrichtigung: abwesend",
	"nicht im büro", "abwesenheitsmeldung", "abwesenheitsnachricht", "außer haus", "ausser haus",
	/* French */
	"réponse automatique", "reponse automatique", "absence du bureau", "message d'absence",
	"absent du bureau",
	/* Spanish, Portuguese, Italian */
	"respuesta automática", "respuesta automatica", "fuera de la oficina", "fuera de oficina",
	"resposta automática", "resposta automatica", "fora do escritório", "fora do escritorio",
	"risposta automatica", "fuori ufficio", "fuori sede",
	/* Dutch, Nordic, Polish, Czech, Finnish, Turkish */
	"automatisch antwoord", "niet op kantoor", "afwezigheidsbericht", "autosvar",
	"automatisk svar", "fraværende", "frånvaro", "automaattinen vastaus",
	"automatyczna odpowiedź", "poza biurem", "automatická odpověď", "mimo kancelář",
	"otomatik yanıt", "otomatik cevap", "ofis dışında",
	/* Japanese, Chinese, Korean, Russian, Greek */
	"自動応答", "自動返信", "自動送信", "不在通知", "不在のお知らせ",
	"自动回复", "自動回覆", "自動回復", "自动答复",
	"자동 응답", "자동응답", "부재중",
	"автоответ", "Автоответ", "автоматический ответ", "Автоматический ответ",
	"нет на месте", "Нет на месте", "вне офиса", "Вне офиса",
	"αυτόματη απάντηση", "Αυτόματη απάντηση",
	NULL
};

/* Subject openings some clients put before the original subject. */
static const char *const vacation_subject_prefix[] = {
	"Auto:", "AutoReply:", "Auto Reply:", "Auto-Reply:", "[Auto-Reply]", "[Auto Reply]",
	"[Autoreply]", "OOO:", "OOO ", "Abwesend:", "Absent:", "Afwezig:", "Ausente:", "Assente:",
	"Away:", "Vacation:", "Urlaub:", "不在:",
	NULL
};

/* Words that hint at an absence but are ordinary words too. */
static const char *const vacation_subject_weak[] = {
	"vacation", "away until", "away till", "i am away", "i'm away", "on leave", "on holiday",
	"abwesend", "abwesenheit", "urlaub", "absent", "absence", "en congé", "en vacances",
	"ausente", "de vacaciones", "de férias", "assente", "in ferie", "afwezig", "vakantie",
	"不在", "休暇", "休假", "отпуск", "Отпуск", "отсутств", "Отсутств",
	NULL
};

/* Sentences of an out-of-office text. */
static const char *const vacation_body[] = {
	"out of the office", "out of office", "i am away", "i'm away", "i am currently away",
	"i am on vacation", "i'm on vacation", "on vacation until", "on annual leave",
	"on leave until", "on holiday until", "away from the office", "away from my desk",
	"limited access to email", "limited access to e-mail", "no access to email",
	"no access to e-mail", "upon my return", "when i return", "i will be back",
	"i'll be back", "returning to the office", "back in the office", "will respond to your",
	"will reply to your", "respond to you upon", "this is an automatic reply",
	"this is an automated reply", "this is an auto-reply", "automatically generated reply",
	"ich bin bis", "nicht im büro", "nicht im buero", "ausser haus", "außer haus",
	"nach meiner rückkehr", "im urlaub", "abwesend",
	"je suis absent", "je serai absent", "je suis actuellement absent", "dès mon retour",
	"des mon retour", "en congé",
	"estaré fuera", "estoy fuera", "fuera de la oficina", "a mi regreso", "de vacaciones",
	"sarò assente", "saro assente", "fuori ufficio", "al mio rientro", "in ferie",
	"estarei ausente", "estou ausente", "fora do escritório", "no meu regresso",
	"ben afwezig", "ben niet aanwezig", "niet op kantoor", "met vakantie",
	"不在にしております", "不在にします", "休暇を取得", "自動応答",
	"我正在休假", "不在办公室", "自动回复",
	"в отпуске", "В отпуске", "отсутствую", "Отсутствую",
	NULL
};

static const char *const challenge_subject[] = {
	"please confirm your message", "please confirm your e-mail", "please confirm your email",
	"confirm your message", "please verify your", "verify your email", "verify your message",
	"verification required", "sender verification", "message held", "awaiting your confirmation",
	"spam arrest", "anti-spam verification", "please confirm",
	NULL
};

static const char *const challenge_body[] = {
	"verify you are a human", "verify that you are a human", "confirm that you are a human",
	"you are a real person", "whitelist", "approved senders", "approved sender list",
	"challenge", "confirm your message", "confirm this message", "reply to this message",
	"simply reply", "just reply to this", "click the link below to confirm",
	"to have your message delivered", "before your message is delivered",
	"will be delivered once", "anti-spam", "spam protection",
	NULL
};

/* Header names whose presence (with any value but "no") marks an auto-reply. */
static const char *const autoreply_headers[] = {
	"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-AutoReply-From",
	"X-Mail-Autoreply", "X-Vacation",
	NULL
};

static const char *const challenge_headers[] = {
	"X-TMDA-Fingerprint", "X-TMDA-Confirm-Done", "X-Challenge", "X-Spamarrest-Noauth",
	NULL
};

/* A header's value with leading blanks skipped, or NULL. Borrowed. */
static const char *
header (const BounceScan *scan, const char *name)
{
	const char *v = bounce_scan_header (scan, name);	/* borrowed */

	while (v != NULL && (*v == ' ' || *v == '\t'))
		v++;
	return v;
}

static gboolean
starts_with_ci (const char *s, const char *prefix)
{
	return s != NULL && g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

static gboolean
says_no (const char *value)
{
	return starts_with_ci (value, "no") || starts_with_ci (value, "false") ||
	       starts_with_ci (value, "0");
}

/* The message presents itself as a bounce or another report. */
static gboolean
looks_like_bounce (const BounceScan *scan)
{
	if (scan->status_part != NULL || scan->feedback_part != NULL || *scan->report_type != '\0')
		return TRUE;
	if (bounce_signal_from (scan->from) || bounce_signal_subject (scan->subject))
		return TRUE;
	return bounce_signal_text (scan->text->str, MIN (scan->text->len, HEAD_TEXT));
}

static gboolean
strong_header (const BounceScan *scan)
{
	const char *v;

	if (starts_with_ci (header (scan, "Auto-Submitted"), "auto-replied"))
		return TRUE;
	if (starts_with_ci (header (scan, "Precedence"), "auto_reply") ||
	    starts_with_ci (header (scan, "Precedence"), "auto-reply"))
		return TRUE;
	if (starts_with_ci (header (scan, "X-Apple-Action"), "vacation"))
		return TRUE;
	for (const char *const *h = autoreply_headers; *h; h++)
		if ((v = header (scan, *h)) != NULL && !says_no (v))
			return TRUE;
	return FALSE;
}

/* Marks that only an automatic message carries. */
static gboolean
automatic_mark (const BounceScan *scan)
{
	const char *as = header (scan, "Auto-Submitted");	/* borrowed */
	const char *prec = header (scan, "Precedence");	/* borrowed */

	return bounce_signal_null_sender (scan) ||
	       bounce_scan_header (scan, "X-Auto-Response-Suppress") != NULL ||
	       (as != NULL && !says_no (as)) ||
	       starts_with_ci (prec, "bulk") || starts_with_ci (prec, "junk");
}

/* The subject with reply and forward markers ("Re:", "AW:", "Fw:", "SV:") skipped. */
static const char *
subject_text (const char *subject)
{
	static const char *const markers[] = { "Re:", "AW:", "Fw:", "WG:", "SV:", "TR:", "RV:", NULL };
	gboolean again = TRUE;

	while (again) {
		again = FALSE;
		while (*subject == ' ' || *subject == '\t')
			subject++;
		for (const char *const *m = markers; *m && !again; m++)
			if (starts_with_ci (subject, *m)) {
				subject += strlen (*m);
				again = TRUE;
			}
	}
	return subject;
}

/* TRUE when the subject (markers skipped) begins with one of needles. */
static gboolean
subject_opens_with (const char *subject, const char *const *needles)
{
	const char *s = subject_text (subject);
	gsize len = strlen (s);

	for (const char *const *p = needles; *p; p++) {
		gsize k = strlen (*p);
		if (k <= len && bounce_text_find (s, k, *p) == s)
			return TRUE;
	}
	return FALSE;
}

/*
 * The first line of the text with something in it, or the subject, for the
 * diagnostic; never one that holds what looks like a status or reply code
 * ("back on 5.5.24"), which the completion step would take.  (transfer full)
 */
static char *
summary (const BounceScan *scan)
{
	BounceLines it;
	const char *line;
	gsize n;
	char status[16], code[4];

	bounce_lines_init (&it, scan->text->str, MIN (scan->text->len, HEAD_TEXT));
	while (bounce_lines_next (&it, &line, &n)) {
		while (n > 0 && (*line == ' ' || *line == '\t' || *line == '*' || *line == '>')) {
			line++;
			n--;
		}
		if (n < 12 || memchr (line, ' ', n) == NULL)
			continue;
		if (bounce_status_find (line, n, status) || bounce_reply_code_find (line, n, code))
			break;
		return g_strndup (line, MIN (n, 300));
	}
	if (bounce_status_find (scan->subject, strlen (scan->subject), status) ||
	    bounce_reply_code_find (scan->subject, strlen (scan->subject), code))
		return g_strdup ("");
	return g_strdup (scan->subject);
}

static gboolean
report_autoreply (BounceScan *scan, BounceReport *report, const char *detector)
{
	g_autofree char *addr = bounce_text_address (scan->from, strlen (scan->from), NULL);
	g_autofree char *diag = NULL;
	BounceRecipient *r;	/* borrowed */

	if (addr == NULL) {
		const char *sender = bounce_scan_header (scan, "Sender");	/* borrowed */
		if (sender != NULL)
			addr = bounce_text_address (sender, strlen (sender), NULL);
	}
	if (addr == NULL)
		return FALSE;
	diag = summary (scan);
	r = bounce_report_add_recipient (report, addr);
	bounce_set (&r->reason, "vacation");
	bounce_set (&r->diagnostic, diag);
	report->kind = BOUNCE_KIND_AUTOREPLY;
	bounce_report_set_detector (report, detector);
	return TRUE;
}

static gboolean
detect_vacation (BounceScan *scan, BounceReport *report)
{
	gboolean yes;

	if (looks_like_bounce (scan))
		return FALSE;
	/* an out-of-office subject counts where it opens the subject, or beside
	 * a mark of automatic mail or a reference to the message answered;
	 * elsewhere a newsletter could say "out of office" too */
	yes = strong_header (scan) ||
	      subject_opens_with (scan->subject, vacation_subject_strong) ||
	      subject_opens_with (scan->subject, vacation_subject_prefix) ||
	      (bounce_str_has_any (scan->subject, vacation_subject_strong) &&
	       (automatic_mark (scan) || bounce_scan_header (scan, "In-Reply-To") != NULL));
	if (!yes && automatic_mark (scan))
		yes = bounce_str_has_any (scan->subject, vacation_subject_weak) ||
		      bounce_text_has_any (scan->text->str, MIN (scan->text->len, HEAD_TEXT), vacation_body);
	return yes && report_autoreply (scan, report, "rfc3834");
}

static gboolean
detect_challenge (BounceScan *scan, BounceReport *report)
{
	gboolean yes = FALSE;
	const char *agent = header (scan, "X-Delivery-Agent");	/* borrowed */

	if (looks_like_bounce (scan))
		return FALSE;
	if (starts_with_ci (agent, "TMDA"))
		yes = TRUE;
	for (const char *const *h = challenge_headers; !yes && *h; h++)
		yes = bounce_scan_header (scan, *h) != NULL;
	if (!yes && bounce_str_has_any (scan->subject, challenge_subject))
		yes = bounce_text_has_any (scan->text->str, MIN (scan->text->len, HEAD_TEXT), challenge_body) &&
		      automatic_mark (scan);
	return yes && report_autoreply (scan, report, "challenge");
}

const BounceDetector bounce_detectors_autoreply[] = {
	{ "rfc3834",	detect_vacation },
	{ "challenge",	detect_challenge },
	{ NULL, NULL }
};
