#!/usr/bin/env python3
"""Deterministic generator for the Freshet sample document corpus.

Produces ``app/src/main/resources/sample/documents.jsonl`` (relative to the
repository root): a few hundred synthetic internal documents for two fictional
tenants, "acme" and "globex".  Every document carries an ACL made of
``group:<name>`` / ``user:<name>`` entries so that permission-aware retrieval
can be demonstrated.

Only the Python 3 standard library is used and the random generator is seeded
with a fixed value, so running the script twice yields a byte-identical file.

Usage:
    python3 tools/sample-corpus/generate.py            # writes the default path
    python3 tools/sample-corpus/generate.py --out x.jsonl
    python3 tools/sample-corpus/generate.py --stats    # also print statistics

All names, companies, customers, vendors, e-mail addresses and phone numbers
are invented.  E-mail addresses use the reserved ``.example`` TLD and phone
numbers use the fictional 555-01xx range.
"""

import argparse
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

SEED = 20260314
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "app" / "src" / "main" / "resources" / "sample" / "documents.jsonl"

UTC = dt.timezone.utc
DATE_START = dt.datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC)
DATE_END = dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)

MAX_WORDS = 1250

# ---------------------------------------------------------------------------
# Names (all fictional combinations)
# ---------------------------------------------------------------------------

FIRST_NAMES = [
    "Maya", "Jonas", "Priyanka", "Liam", "Noor", "Mateo", "Hiroshi", "Amara",
    "Tobias", "Elena", "Kwame", "Ingrid", "Rafael", "Sunita", "Oskar", "Chloe",
    "Daniel", "Fatima", "Mikhail", "Lucia", "Samuel", "Aisha", "Henrik", "Zoe",
    "Arjun", "Beatriz", "Connor", "Yuki", "Nadia", "Felix", "Imani", "Pieter",
    "Rosa", "Theo", "Wen", "Gabriel", "Leila", "Victor", "Astrid", "Omar",
    "Marisol", "Declan", "Keiko", "Emeka", "Sigrid", "Tariq", "Lena", "Bruno",
]

LAST_NAMES = [
    "Lindqvist", "Okafor", "Brennan", "Castillo", "Tanaka", "Haddad", "Novak",
    "Fischer", "Mensah", "Varga", "Ramirez", "Kowalski", "Sato", "Achterberg",
    "Delacroix", "Nakamura", "Abernathy", "Petrov", "Quinn", "Osei", "Moreau",
    "Bergstrom", "Iyer", "Mwangi", "Holloway", "van Dijk", "Esposito", "Farrow",
    "Gallagher", "Ibsen", "Kaur", "Lowell", "Marchand", "Nilsen", "Ortega",
    "Pham", "Reinholt", "Szabo", "Thorne", "Uchida", "Whitcombe", "Yilmaz",
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# ---------------------------------------------------------------------------
# Template filling
# ---------------------------------------------------------------------------

TOKEN = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([^{}]*))?\}")


def fmt_date(d):
    return "%s %d, %d" % (MONTHS[d.month - 1], d.day, d.year)


def quarter_of(d):
    return (d.month - 1) // 3 + 1


class Ctx:
    """Per-document fill context: fixed values plus random generators."""

    def __init__(self, rng, prof, updated, dept):
        self.rng = rng
        self.prof = prof
        self.updated = updated
        self.dept = dept
        self.fixed = {}
        self.data = {}

    def set(self, **kw):
        self.fixed.update(kw)

    def value(self, key, arg):
        if arg is None and key in self.fixed:
            return self.fixed[key]
        gen = GENS.get(key)
        if gen is not None:
            return gen(self, arg)
        if arg is None and key in self.prof:
            v = self.prof[key]
            if isinstance(v, (list, tuple)):
                return self.rng.choice(v)
            return v
        raise KeyError("unknown template key: %s" % key)

    def fill(self, s):
        for _ in range(4):
            if "{" not in s:
                break
            s = TOKEN.sub(lambda m: str(self.value(m.group(1), m.group(2))), s)
        return s

    # helpers -------------------------------------------------------------
    def person(self):
        return "%s %s" % (self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES))

    def money(self, lo, hi, step=None):
        v = self.rng.randint(lo, hi)
        if step is None:
            step = 1 if hi < 100 else 5 if hi < 1000 else 50 if hi < 20000 else 500
        v = max(step, int(round(v / step)) * step)
        return "%s%s" % (self.prof["cur"], "{:,}".format(v))


def _range(arg, default):
    if not arg:
        return default
    a, b = arg.split("-")
    return int(a), int(b)


def _gen_date_past(ctx, arg):
    lo, hi = _range(arg, (7, 180))
    d = ctx.updated - dt.timedelta(days=ctx.rng.randint(lo, hi))
    return fmt_date(d)


def _gen_date_future(ctx, arg):
    lo, hi = _range(arg, (7, 90))
    d = ctx.updated + dt.timedelta(days=ctx.rng.randint(lo, hi))
    return fmt_date(d)


def _gen_iso_past(ctx, arg):
    lo, hi = _range(arg, (1, 60))
    d = ctx.updated - dt.timedelta(days=ctx.rng.randint(lo, hi))
    return d.strftime("%Y-%m-%d")


def _gen_money(ctx, arg):
    parts = arg.split("/")
    lo, hi = _range(parts[0], (100, 1000))
    step = int(parts[1]) if len(parts) > 1 else None
    return ctx.money(lo, hi, step)


def _gen_version(ctx, arg):
    r = ctx.rng
    return "%d.%d.%d" % (r.randint(1, 6), r.randint(0, 24), r.randint(0, 9))


def _gen_time(ctx, arg):
    return "%02d:%02d" % (ctx.rng.randint(0, 23), ctx.rng.randint(0, 59))


def _gen_ticket(ctx, arg):
    prefix = arg or ctx.prof["ticket_prefix"]
    return "%s-%d" % (prefix, ctx.rng.randint(1200, 9800))


def _q_shift(d, n):
    q = quarter_of(d) - 1 + n
    y = d.year + q // 4
    return "Q%d %d" % (q % 4 + 1, y)


GENS = {
    "n": lambda c, a: c.rng.randint(*_range(a, (2, 9))),
    "pick": lambda c, a: c.rng.choice(a.split("|")),
    "pct": lambda c, a: "%d%%" % c.rng.randint(*_range(a, (2, 40))),
    "money": _gen_money,
    "person": lambda c, a: c.person(),
    "first": lambda c, a: c.rng.choice(FIRST_NAMES),
    "date_past": _gen_date_past,
    "date_future": _gen_date_future,
    "iso_past": _gen_iso_past,
    "date": lambda c, a: fmt_date(c.updated),
    "iso_date": lambda c, a: c.updated.strftime("%Y-%m-%d"),
    "year": lambda c, a: str(c.updated.year),
    "next_year": lambda c, a: str(c.updated.year + 1),
    "month": lambda c, a: MONTHS[c.updated.month - 1],
    "quarter": lambda c, a: "Q%d %d" % (quarter_of(c.updated), c.updated.year),
    "prev_quarter": lambda c, a: _q_shift(c.updated, -1),
    "next_quarter": lambda c, a: _q_shift(c.updated, 1),
    "weekday": lambda c, a: c.rng.choice(WEEKDAYS[:5]),
    "time": _gen_time,
    "version": _gen_version,
    "ticket": _gen_ticket,
}


# ---------------------------------------------------------------------------
# Section builders.  Each returns a callable ``render(ctx) -> str``.
# ---------------------------------------------------------------------------

def _pick_ordered(rng, pool, k):
    k = max(0, min(k, len(pool)))
    idx = sorted(rng.sample(range(len(pool)), k))
    return [pool[i] for i in idx]


def _heading(ctx, heading, level=2):
    return ("#" * level) + " " + ctx.fill(heading)


def P(heading, pool, k=(3, 5), paras=(1, 1)):
    """One or more prose paragraphs made of sentences drawn from ``pool``."""
    def render(ctx):
        rng = ctx.rng
        kk, pp = k, paras
        if ctx.data.get("long"):
            kk = (k[1], max(k[1], len(pool) // max(1, paras[1] + 1)))
            pp = (paras[1], paras[1] + 1)
        n_par = rng.randint(*pp)
        sizes = [rng.randint(*kk) for _ in range(n_par)]
        chosen = _pick_ordered(rng, pool, sum(sizes))
        out = [] if heading is None else [_heading(ctx, heading)]
        pos = 0
        for s in sizes:
            chunk = chosen[pos:pos + s]
            pos += s
            if chunk:
                out.append(" ".join(ctx.fill(x) for x in chunk))
        return "\n\n".join(out)
    return render


def B(heading, pool, k=(3, 6), lead=None, tail=None):
    """A bullet list, optionally introduced by a lead sentence."""
    def render(ctx):
        rng = ctx.rng
        kk = (k[1], max(k[1], len(pool))) if ctx.data.get("long") else k
        items = _pick_ordered(rng, pool, rng.randint(*kk))
        out = [] if heading is None else [_heading(ctx, heading)]
        if lead:
            out.append(ctx.fill(rng.choice(lead) if isinstance(lead, list) else lead))
        out.append("\n".join("- " + ctx.fill(x) for x in items))
        if tail:
            out.append(ctx.fill(rng.choice(tail) if isinstance(tail, list) else tail))
        return "\n\n".join(out)
    return render


def S(heading, steps, k=None, lead=None, tail=None):
    """A numbered procedure; steps keep their order."""
    def render(ctx):
        rng = ctx.rng
        kk = k if (k is None or not ctx.data.get("long")) else (k[1], max(k[1], len(steps)))
        items = steps if kk is None else _pick_ordered(rng, steps, rng.randint(*kk))
        out = [] if heading is None else [_heading(ctx, heading)]
        if lead:
            out.append(ctx.fill(rng.choice(lead) if isinstance(lead, list) else lead))
        out.append("\n".join("%d. %s" % (i + 1, ctx.fill(x)) for i, x in enumerate(items)))
        if tail:
            out.append(ctx.fill(rng.choice(tail) if isinstance(tail, list) else tail))
        return "\n\n".join(out)
    return render


def Q(heading, qa, k=(2, 4)):
    """FAQ section: list of (question, answer) pairs."""
    def render(ctx):
        rng = ctx.rng
        kk = (k[1], max(k[1], len(qa))) if ctx.data.get("long") else k
        items = _pick_ordered(rng, qa, rng.randint(*kk))
        out = [_heading(ctx, heading)]
        for q, a in items:
            out.append("**%s**\n%s" % (ctx.fill(q), ctx.fill(a)))
        return "\n\n".join(out)
    return render


def TBL(heading, header, rows, lead=None):
    """A small markdown table (rows are filled, not sampled)."""
    def render(ctx):
        out = [_heading(ctx, heading)]
        if lead:
            out.append(ctx.fill(lead))
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for r in rows:
            lines.append("| " + " | ".join(ctx.fill(c) for c in r) + " |")
        out.append("\n".join(lines))
        return "\n\n".join(out)
    return render


def F(func):
    """Custom section: ``func(ctx) -> str``."""
    return func


def REQ(section):
    """Mark a section as always included."""
    section.required = True
    return section


class Topic:
    def __init__(self, key, label, titles, intro, sections, audience="dept",
                 weight=1.0, max_count=2, extra_groups=(), users=(),
                 prepare=None, tenants=None, intro_k=(2, 3), handbook=True):
        self.key = key
        self.label = label
        self.titles = titles
        self.intro = intro
        self.sections = sections
        self.audience = audience          # "all" | "dept" | "restricted"
        self.weight = weight
        self.max_count = max_count
        self.extra_groups = extra_groups  # groups sometimes added to the ACL
        self.users = users                # candidate users for restricted ACLs
        self.prepare = prepare
        self.tenants = tenants
        self.intro_k = intro_k
        self.handbook = handbook


# ---------------------------------------------------------------------------
# Tenant profiles.  Policy facts (leave days, thresholds, prices) are fixed per
# tenant so that all documents of a tenant agree with each other.
# ---------------------------------------------------------------------------

ACME = {
    "tenant": "acme",
    "company": "Acme",
    "legal_name": "Acme Corporation",
    "domain": "acme.example",
    "cur": "$",
    "cur_code": "USD",
    "hq": "Denver",
    "offices": ["Denver", "Austin", "Dublin", "Toronto"],
    "office": ["Denver", "Austin", "Dublin", "Toronto"],
    "ceo": "Dana Whitfield",
    "cfo": "Marcus Oyelaran",
    "cto": "Priya Raman",
    "head_hr": "Sofia Marchetti",
    "gc": "Tomasz Nowak",
    "vp_sales": "Reggie Alvarez",
    "ciso": "Hannah Cho",
    "controller": "Ines Carvalho",
    "hr_name": "People Operations",
    "hr_portal": "PeopleHub",
    "expense_tool": "SpendWise",
    "travel_tool": "TripDesk",
    "travel_agency": "Meridian Corporate Travel",
    "idp": "Okta",
    "vpn": "Acme Connect",
    "vpn_tech": "WireGuard",
    "pager": "PagerDuty",
    "crm": "Salesforce",
    "erp": "NetSuite",
    "monitoring": "Grafana",
    "metrics": "Prometheus",
    "logs": "Loki",
    "ci": "GitHub Actions",
    "deployer": "shipit",
    "chat": "Slack",
    "wiki": "Confluence",
    "tracker": "Jira",
    "ticket_prefix": "ITHELP",
    "eng_prefix": "PLAT",
    "inc_prefix": "INC",
    "mdm": "Jamf",
    "laptop": "MacBook Pro 14-inch (M3 Pro, 36 GB)",
    "password_manager": "1Password",
    "cloud": "AWS",
    "region_primary": "us-east-1",
    "region_secondary": "us-west-2",
    "k8s": "EKS",
    "db": "PostgreSQL 15",
    "queue": "Kafka",
    "cache": "Redis",
    "cdn": "CloudFront",
    "products": ["Acme Ledger", "Acme Insights", "Acme Dispatch"],
    "product": ["Acme Ledger", "Acme Insights", "Acme Dispatch"],
    "product_main": "Acme Ledger",
    "services": ["billing-api", "ledger-writer", "invoice-renderer", "auth-gateway",
                 "search-indexer", "notification-service", "reporting-worker",
                 "payments-webhook", "tenant-config", "export-service"],
    "service": ["billing-api", "ledger-writer", "invoice-renderer", "auth-gateway",
                "search-indexer", "notification-service", "reporting-worker",
                "payments-webhook", "tenant-config", "export-service"],
    "eng_team": ["Payments", "Platform", "Ledger Core", "Insights", "Identity",
                 "Developer Experience", "Data Infrastructure", "Mobile"],
    "competitor": ["Ledgerly", "Finlytic", "CountBridge"],
    "customer": ["Northwind Logistics", "Blue Heron Health", "Carver & Pike",
                 "Maple Street Credit Union", "Tidewater Foods", "Pinnacle Robotics",
                 "Lumen Grove Schools", "Redwood Civic Services", "Halcyon Biotech",
                 "Saltmarsh Outfitters", "Quarry Hill Construction", "Bellwether Media"],
    "recruit_agency": "Brightline Staffing",
    "vendor": ["Brightline Staffing", "Copperleaf Catering", "Summit Office Supply",
               "Harborview Printing", "Kestrel Security Services", "Lattice Freight",
               "Orchard Cloud Consulting", "Pioneer Facilities", "Slate & Co. Legal Research"],
    "channel_eng": "#eng-oncall",
    "channel_inc": "#incidents",
    "channel_it": "#it-help",
    "channel_hr": "#ask-people",
    "channel_sales": "#deal-desk",
    "channel_fin": "#finance-ops",
    "channel_legal": "#legal-requests",
    "channel_sec": "#security",
    "channel_prod": "#product",
    # HR facts
    "pto_days": 20,
    "pto_bonus": 5,
    "carryover_days": 5,
    "carryover_deadline": "March 31",
    "sick_days": 10,
    "probation_days": 90,
    "notice_leave": "two weeks",
    "hybrid_rule": "in the office Tuesday through Thursday",
    "home_office_stipend": "$500",
    "wellness_stipend": "$600 per year",
    "learning_budget": "$1,500 per year",
    "retirement": "401(k) with a 4% employer match",
    "review_cycle": "twice a year, in April and October",
    "referral_bonus": "$3,000",
    "benefits_provider": "Cascade Mutual",
    "benefits_window": "November 1 to November 15",
    # Travel / expense facts
    "per_diem": "$75",
    "hotel_cap": "$250",
    "hotel_cap_high": "$350",
    "high_cost_cities": "New York, San Francisco, London and Zurich",
    "mileage": "$0.67 per mile",
    "receipt_threshold": "$25",
    "expense_deadline": "30 days",
    "flight_class_rule": "economy for flights under six hours and premium economy above that",
    "card_limit": "$5,000",
    # Finance facts
    "approve_1": "$5,000",
    "approve_2": "$25,000",
    "approve_3": "$100,000",
    "po_threshold": "$2,500",
    "bids_threshold": "$50,000",
    "close_days": "five business days",
    "payment_terms": "net 30",
    "fiscal_year": "the calendar year",
    # IT facts
    "pw_min": 14,
    "lock_minutes": 5,
    "patch_days": 14,
    "mfa_method": "Okta Verify push or a FIDO2 security key",
    # Sales facts
    "tier1": "Starter",
    "tier2": "Growth",
    "tier3": "Enterprise",
    "price1": "$29 per user per month",
    "price2": "$59 per user per month",
    "price3": "custom, with a minimum annual contract value of $60,000",
    "disc_ae": "10%",
    "disc_dir": "20%",
    "disc_vp": "30%",
    "unit": "user",
    # Legal facts
    "retention_fin": "seven years",
    "retention_logs": "13 months",
    "retention_hr": "six years after employment ends",
    "retention_email": "three years",
    "gdpr_region": "EU customers",
}

GLOBEX = {
    "tenant": "globex",
    "company": "Globex",
    "legal_name": "Globex Industries B.V.",
    "domain": "globex.example",
    "cur": "\u20ac",
    "cur_code": "EUR",
    "hq": "Rotterdam",
    "offices": ["Rotterdam", "Berlin", "Singapore", "Chicago"],
    "office": ["Rotterdam", "Berlin", "Singapore", "Chicago"],
    "ceo": "Annelies Vermeer",
    "cfo": "Rohan Mehta",
    "cto": "Katarzyna Wolski",
    "head_hr": "Bram de Vries",
    "gc": "Helena Strand",
    "vp_sales": "Jasper Koenig",
    "ciso": "Ahmed Rahimi",
    "controller": "Charlotte Meijer",
    "hr_name": "People & Culture",
    "hr_portal": "Harbor",
    "expense_tool": "Tally",
    "travel_tool": "Voyage",
    "travel_agency": "Northstar Business Travel",
    "idp": "Entra ID",
    "vpn": "GlobeNet",
    "vpn_tech": "Tailscale",
    "pager": "Opsgenie",
    "crm": "HubSpot",
    "erp": "SAP S/4HANA",
    "monitoring": "Datadog",
    "metrics": "Datadog metrics",
    "logs": "Datadog Logs",
    "ci": "GitLab CI",
    "deployer": "Argo CD",
    "chat": "Slack",
    "wiki": "Notion",
    "tracker": "Linear",
    "ticket_prefix": "OPS",
    "eng_prefix": "FLT",
    "inc_prefix": "INC",
    "mdm": "Intune",
    "laptop": "Lenovo ThinkPad T14s (32 GB)",
    "password_manager": "Bitwarden",
    "cloud": "Google Cloud",
    "region_primary": "europe-west4",
    "region_secondary": "europe-west1",
    "k8s": "GKE",
    "db": "PostgreSQL 16",
    "queue": "Pub/Sub",
    "cache": "Memorystore (Redis)",
    "cdn": "Cloud CDN",
    "products": ["Globex Fleet", "Globex Route Planner", "Globex Telematics API"],
    "product": ["Globex Fleet", "Globex Route Planner", "Globex Telematics API"],
    "product_main": "Globex Fleet",
    "services": ["telemetry-ingest", "route-optimizer", "vehicle-registry", "driver-app-api",
                 "geofence-engine", "billing-sync", "alerting-service", "map-tiles",
                 "identity-proxy", "report-builder"],
    "service": ["telemetry-ingest", "route-optimizer", "vehicle-registry", "driver-app-api",
                "geofence-engine", "billing-sync", "alerting-service", "map-tiles",
                "identity-proxy", "report-builder"],
    "eng_team": ["Telemetry", "Routing", "Core Platform", "Driver Experience",
                 "Integrations", "SRE", "Data Platform"],
    "competitor": ["Fleetwise", "RouteHawk", "TrakLine"],
    "customer": ["Van Houten Transport", "Nordhaven Freight", "Koala Express Couriers",
                 "Baltic Cold Chain", "Rhine Valley Waste Services", "Sunbelt Moving Company",
                 "Meridian Ambulance Trust", "Kessler Bau", "Lagoon City Buses",
                 "Oakfield Dairy Cooperative", "Strandberg Rentals"],
    "recruit_agency": "Archer Recruitment",
    "vendor": ["Polder Office Services", "Keystone Hardware Leasing", "Tulip Catering",
               "Zwaan Translation Bureau", "Archer Recruitment", "Vantage Print Partners",
               "Delta Facility Management", "Brightwater Consulting"],
    "channel_eng": "#sre-oncall",
    "channel_inc": "#inc-war-room",
    "channel_it": "#ops-helpdesk",
    "channel_hr": "#people-questions",
    "channel_sales": "#sales-approvals",
    "channel_fin": "#finance",
    "channel_legal": "#leadership-legal",
    "channel_sec": "#sec-ops",
    "channel_prod": "#product-team",
    # HR facts
    "pto_days": 25,
    "pto_bonus": 2,
    "carryover_days": 5,
    "carryover_deadline": "April 30",
    "sick_days": "the statutory amount for your country of employment",
    "probation_days": 60,
    "notice_leave": "four weeks",
    "hybrid_rule": "in the office at least two days per week, one of which is the team anchor day",
    "home_office_stipend": "\u20ac400",
    "wellness_stipend": "\u20ac40 per month",
    "learning_budget": "\u20ac1,200 per year",
    "retirement": "the collective pension scheme, with Globex paying two thirds of the premium",
    "review_cycle": "once a year in February, with a lighter mid-year check-in in August",
    "referral_bonus": "\u20ac2,500",
    "benefits_provider": "Zilverlijn Verzekeringen",
    "benefits_window": "December 1 to December 20",
    # Travel / expense facts
    "per_diem": "\u20ac60",
    "hotel_cap": "\u20ac180",
    "hotel_cap_high": "\u20ac260",
    "high_cost_cities": "London, Paris, Zurich and Singapore",
    "mileage": "\u20ac0.23 per kilometre",
    "receipt_threshold": "\u20ac20",
    "expense_deadline": "60 days",
    "flight_class_rule": "economy for all flights in Europe and premium economy for intercontinental flights over eight hours",
    "card_limit": "\u20ac4,000",
    # Finance facts
    "approve_1": "\u20ac2,500",
    "approve_2": "\u20ac20,000",
    "approve_3": "\u20ac75,000",
    "po_threshold": "\u20ac1,500",
    "bids_threshold": "\u20ac40,000",
    "close_days": "six business days",
    "payment_terms": "net 45",
    "fiscal_year": "the calendar year",
    # IT facts
    "pw_min": 12,
    "lock_minutes": 10,
    "patch_days": 21,
    "mfa_method": "Microsoft Authenticator number matching or a FIDO2 security key",
    # Sales facts
    "tier1": "Fleet Basic",
    "tier2": "Fleet Pro",
    "tier3": "Fleet Enterprise",
    "price1": "\u20ac12 per vehicle per month",
    "price2": "\u20ac22 per vehicle per month",
    "price3": "custom, with a minimum of 500 vehicles",
    "disc_ae": "15%",
    "disc_dir": "25%",
    "disc_vp": "35%",
    "unit": "vehicle",
    # Legal facts
    "retention_fin": "seven years",
    "retention_logs": "12 months",
    "retention_hr": "two years after employment ends, or longer where Dutch law requires",
    "retention_email": "two years",
    "gdpr_region": "all customers, because Globex is established in the EU",
}

PROFILES = {"acme": ACME, "globex": GLOBEX}

# Groups and users (every user is also a member of group:all-staff).
TENANT_DIRECTORY = {
    "acme": {
        "groups": ["all-staff", "eng", "hr", "finance", "sales", "legal", "it", "execs"],
        "users": {"alice": "eng", "bob": "hr", "carol": "finance", "dave": "sales",
                  "erin": "legal", "frank": "it", "grace": "execs"},
        "senior_group": "execs",
    },
    "globex": {
        "groups": ["all-staff", "eng", "ops", "finance", "sales", "people", "leadership"],
        "users": {"gina": "eng", "hank": "ops", "ivan": "finance", "judy": "sales",
                  "kate": "people", "leo": "leadership"},
        "senior_group": "leadership",
    },
}


# ---------------------------------------------------------------------------
# Generic trailing sections (used to pad longer documents)
# ---------------------------------------------------------------------------

def _revision_history(ctx):
    rng = ctx.rng
    n = rng.randint(2, 4)
    days = sorted(rng.sample(range(20, 540), n))
    notes = ["Initial version.", "Clarified approval steps after feedback from managers.",
             "Updated thresholds for the new fiscal year.", "Added FAQ section.",
             "Aligned wording with related policies and runbooks.",
             "Replaced references to the retired intranet with {wiki} links.",
             "Minor wording fixes; no change in substance.",
             "Added guidance for employees outside {hq}.",
             "Reviewed by {gc}; no legal changes required.",
             "Moved tooling instructions into a separate how-to page."]
    picks = rng.sample(notes[1:], n - 1) + ["Initial version."]
    lines = []
    for d, note in zip(days, picks):
        date = (ctx.updated - dt.timedelta(days=d)).strftime("%Y-%m-%d")
        lines.append("- %s: %s (%s)" % (date, ctx.fill(note), ctx.person()))
    latest = rng.choice([x for x in notes[1:] if x not in picks])
    lines.insert(0, "- %s: %s (%s)" % (ctx.updated.strftime("%Y-%m-%d"), ctx.fill(latest), ctx.person()))
    return "## Revision history\n\n" + "\n".join(lines)


def _contacts(ctx):
    rng = ctx.rng
    chan = {"hr": "channel_hr", "people": "channel_hr", "eng": "channel_eng", "it": "channel_it",
            "ops": "channel_it", "fin": "channel_fin", "sales": "channel_sales",
            "legal": "channel_legal", "prod": "channel_prod"}.get(ctx.dept, "channel_hr")
    closers = ["Urgent issues outside business hours should be raised through {pager}.",
               "If you think this document is out of date, leave a comment in {wiki} rather than editing it directly.",
               "Please do not share this document outside {company} without checking with the owner first."]
    if ctx.dept in ("hr", "people"):
        closers.append("For anything involving a specific employee, open a confidential case in {hr_portal} instead of posting in a channel.")
    lines = [
        "Questions about this document go to the {%s} channel in {chat}." % chan,
        "The document owner is %s; the backup owner is %s." % (ctx.fixed.get("owner") or ctx.person(), ctx.person()),
        rng.choice(closers),
    ]
    return "## Contacts\n\n" + " ".join(ctx.fill(x) for x in lines)


def _related(ctx):
    titles = ctx.data.get("related_titles") or []
    if not titles:
        return ""
    picks = ctx.rng.sample(titles, min(len(titles), ctx.rng.randint(2, 4)))
    return "## Related documents\n\n" + "\n".join("- %s" % t for t in picks)


GENERIC_TAIL = [_contacts, _related, _revision_history]


# ---------------------------------------------------------------------------
# HR / People topics
# ---------------------------------------------------------------------------

HR_TOPICS = [
    Topic(
        "leave", "Annual leave",
        ["Annual leave policy", "Paid time off (PTO) policy", "Time off and annual leave guidelines",
         "Annual leave policy ({year} update)", "How to request and approve time off"],
        ["This document describes how paid time off works at {company} and what employees and managers need to do to request, approve and track it.",
         "{company} wants people to take real breaks. This policy sets out how much annual leave you get, how it accrues and how to book it in {hr_portal}.",
         "This policy applies to all full-time and part-time employees of {legal_name}; contractors should follow the terms of their agency agreement.",
         "The policy was last reviewed by {head_hr} and the {hr_name} team on {date_past}.",
         "Managers are expected to plan cover so that nobody has to check messages while on leave."],
        [
            REQ(P("Entitlement", [
                "Full-time employees receive {pto_days} days of paid annual leave per calendar year, in addition to the public holidays observed by their home office.",
                "Leave accrues monthly, so a new starter joining mid-year receives a pro-rated entitlement from their first day.",
                "Part-time employees receive the same entitlement pro-rated to their contracted hours.",
                "After five years of continuous service the annual entitlement increases by {pto_bonus} days.",
                "Sick leave is tracked separately and never reduces your annual leave balance.",
                "Parental leave is covered by a separate policy; ask the {hr_name} team for details.",
                "Your current balance, including pending requests, is always visible on the Time Off tab in {hr_portal}.",
                "Leave cannot be taken before it has accrued unless your manager and {hr_name} agree in writing."])),
            P("Carry-over", [
                "You may carry up to {carryover_days} unused days into the next year.",
                "Carried-over days must be used by {carryover_deadline}; anything left after that date expires automatically.",
                "We do not pay out unused leave except where local law requires it, for example when employment ends.",
                "If a business-critical project prevented you from taking leave, your manager can ask {hr_name} for a one-off extension before the deadline.",
                "Extensions are rare and are recorded against the project that caused them."]),
            S("How to request leave", [
                "Open {hr_portal} and go to Time Off > New request.",
                "Choose the leave type (annual leave, sick leave, unpaid leave or volunteering day).",
                "Select the dates; half days are supported for annual leave.",
                "Add a short note if the request overlaps a launch, a customer visit or an on-call shift.",
                "Submit the request. Your manager receives a notification in {chat} and by email.",
                "Once approved, the leave appears in the shared team calendar automatically."],
                lead=["Requests should be made at least {notice_leave} in advance for periods longer than three days.",
                      "Follow these steps for any planned absence."]),
            B("Manager responsibilities", [
                "Respond to leave requests within three working days.",
                "Only decline a request for a documented business reason, and suggest alternative dates.",
                "Make sure on-call rotas and customer commitments are covered before approving.",
                "Check team balances every quarter and nudge people who have taken little time off.",
                "Never ask people to stay reachable while on annual leave.",
                "Record any approved exception (for example a leave advance) in {hr_portal}."]),
            P("Sick leave", [
                "If you are unwell, tell your manager as early as possible on the first day and log the absence in {hr_portal}.",
                "Employees receive {sick_days} of paid sick leave.",
                "A doctor's note is only required for absences longer than five consecutive working days.",
                "Sick days that fall during approved annual leave can be converted back to annual leave if you let us know within a week.",
                "Longer illnesses are handled case by case with {hr_name}, who will explain the options for phased returns."]),
            P("Public holidays", [
                "Each office publishes its holiday calendar in {hr_portal} by the first week of December.",
                "Remote employees follow the calendar of the country they are employed in.",
                "If you work on a public holiday because of an on-call shift, you receive a replacement day to be taken within three months.",
                "Floating holidays can be swapped for a religious or cultural holiday that matters to you."]),
            Q("Frequently asked questions", [
                ("Can I take leave during my first months?", "Yes. Leave accrues from day one, and you can use what you have accrued once your manager approves it."),
                ("What happens to my balance if I move to part-time?", "Your accrued balance is kept, and future accrual is pro-rated to your new hours."),
                ("Do I need approval for a single day?", "Yes, every absence should be requested in {hr_portal} so that payroll and the team calendar stay correct."),
                ("Can my manager cancel approved leave?", "Only in exceptional circumstances and with {hr_name} involved; any non-refundable costs you incur are reimbursed."),
                ("How do I record a volunteering day?", "Use the volunteering leave type. Every employee has two volunteering days per year in addition to annual leave.")]),
        ],
        audience="all", max_count=2),

    Topic(
        "expenses", "Expenses",
        ["Expense reimbursement policy", "Expenses: what you can claim and how", "Expense policy and approval rules",
         "Employee expense guidelines ({year})", "How to submit expenses in {expense_tool}"],
        ["This policy explains which business expenses {company} reimburses and how to claim them.",
         "Spend company money as if it were your own: reasonable, necessary and documented.",
         "All expenses are submitted in {expense_tool}, which syncs approved claims to {erp} for payment.",
         "The finance team audits a random sample of claims every month.",
         "This document replaces the older expenses FAQ that lived on the intranet."],
        [
            REQ(P("General rules", [
                "Claims must be submitted within {expense_deadline} of the expense being incurred.",
                "A receipt is required for every item above {receipt_threshold}; card statements are not accepted as receipts.",
                "Expenses are reimbursed in the next payroll run after approval, in {cur_code}.",
                "Alcohol is only reimbursable at approved client or team events, and never on its own.",
                "Personal items, fines, parking tickets and upgrades you chose yourself are not reimbursable.",
                "If you are unsure whether something is allowed, ask in {channel_fin} before spending the money."])),
            B("What you can claim", [
                "Travel to client sites, offices other than your own, and offsites.",
                "Meals while travelling, up to a daily allowance of {per_diem}.",
                "Mileage for using your own car on business trips, at {mileage}.",
                "Books and online courses that fit within your learning budget of {learning_budget}.",
                "Home office equipment up to the one-off stipend of {home_office_stipend}.",
                "Client entertainment, when approved in advance by your manager.",
                "Mobile phone costs for roles that require being reachable on call."],
                lead="Typical reimbursable expenses include:"),
            S("Submitting a claim", [
                "Take a photo of the receipt in the {expense_tool} mobile app, or forward it to your {expense_tool} inbox.",
                "Select the expense category and the cost centre of your team.",
                "Add the business purpose, for example the customer name or the event.",
                "For meals with others, list the attendees and their companies.",
                "Submit the claim; your manager approves it in {expense_tool}.",
                "Claims above {approve_1} also go to the budget owner for a second approval."]),
            P("Corporate cards", [
                "Employees who travel often can request a corporate card with a monthly limit of {card_limit}.",
                "Corporate card transactions still need receipts and a business purpose in {expense_tool}.",
                "Unreconciled transactions older than 45 days are escalated to your manager.",
                "Lost cards must be reported immediately to the card provider and to {channel_fin}."]),
            P("Audits and misuse", [
                "Finance reviews a random sample of claims every month and all claims above {approve_2}.",
                "Repeated late or incomplete claims may lead to the corporate card being withdrawn.",
                "Deliberately false claims are treated as misconduct under the code of conduct.",
                "Most issues we find are honest mistakes, so please reply quickly when finance asks for a missing receipt."]),
            Q("FAQ", [
                ("I lost a receipt. What now?", "Submit a missing-receipt declaration in {expense_tool}. This is allowed at most three times per year."),
                ("Can I claim a coworking space?", "Yes, if you do not live within commuting distance of an office, up to {money:150-400/10} per month with manager approval."),
                ("How are foreign-currency expenses converted?", "{expense_tool} uses the exchange rate on the transaction date; card fees are reimbursed."),
                ("Who approves my manager's expenses?", "Their own manager, following the same rules as everyone else.")]),
        ],
        audience="all", max_count=2),

    Topic(
        "travel", "Business travel",
        ["Business travel policy", "Travel policy: booking, hotels and per diems", "Travel guidelines for employees",
         "Business travel policy ({year} revision)", "Travel booking how-to"],
        ["This policy covers business travel booked on behalf of {company}, including flights, trains, hotels and ground transport.",
         "Book all travel through {travel_tool} so that we can locate you in an emergency and benefit from negotiated rates.",
         "Travel should have a clear business purpose; consider whether a video call would work first.",
         "Our travel partner is {travel_agency}, reachable 24/7 through the {travel_tool} app.",
         "The policy applies to employees and to candidates or contractors whose travel we pay for."],
        [
            REQ(P("Booking", [
                "Flights, rail and hotels must be booked in {travel_tool}; bookings made elsewhere are only reimbursed if they were at least 10% cheaper.",
                "Book at least 14 days ahead where possible; last-minute bookings require a note explaining why.",
                "The cabin class rule is {flight_class_rule}.",
                "For journeys under four hours, rail is preferred over flying.",
                "Trips that include a weekend stay are fine when the overall cost is lower.",
                "Travel to countries on the restricted list needs approval from {ciso} because of device and data rules."])),
            TBL("Hotel and meal limits", ["Item", "Standard limit", "High-cost city"], [
                ["Hotel per night", "{hotel_cap}", "{hotel_cap_high}"],
                ["Meals per day", "{per_diem}", "{per_diem} plus 20%"],
                ["Ground transport", "Public transport or taxi", "Public transport or taxi"]],
                lead="High-cost cities are {high_cost_cities}."),
            B("What is not covered", [
                "Seat upgrades, lounge access and extra baggage for personal items.",
                "Minibar, in-room movies and laundry for trips shorter than five nights.",
                "Travel insurance bought separately; {company} already insures business trips.",
                "Costs for travelling companions.",
                "Car rentals when public transport is a reasonable option."]),
            P("Safety and duty of care", [
                "{travel_agency} monitors disruptions and will contact travellers if a trip is affected.",
                "If something goes wrong, call the emergency number printed in your {travel_tool} itinerary.",
                "Keep your laptop with you or in the hotel safe; never check it in with hold luggage.",
                "Use {vpn} on hotel and conference Wi-Fi.",
                "Managers must be able to see upcoming trips of their reports in {travel_tool}."]),
            P("Sustainability", [
                "We report travel emissions every quarter and aim to reduce them by {pct:5-15} per employee year on year.",
                "Teams are asked to combine trips, for example by scheduling customer visits around an offsite.",
                "Rail is the default for {offices} trips where the journey is under five hours."]),
            Q("FAQ", [
                ("Can I extend a business trip for holiday?", "Yes, as long as the flight cost does not increase. Extra hotel nights are at your own cost."),
                ("Do I get a per diem or do I claim actual meals?", "You claim actual meal costs up to the daily limit of {per_diem}; we do not pay a flat per diem."),
                ("Who approves international trips?", "Your manager, and for trips over {approve_1} in total also the budget owner."),
                ("Can I book a hotel through a home-sharing site?", "Only if it is within the hotel limit and the listing is a whole property with a proper invoice.")]),
        ],
        audience="all", max_count=2),

    Topic(
        "parental", "Parental leave",
        ["Parental leave policy", "Parental leave: guide for employees", "Parental and family leave"],
        ["{company} offers paid parental leave to every parent, regardless of gender or how their child joins the family.",
         "This policy covers birth, adoption, foster placement and surrogacy.",
         "We want new parents to be able to focus on their family without worrying about pay or their role."],
        [
            REQ(P("How much leave", [
                "Eligible employees receive 12 weeks of parental leave at full pay.",
                "The leave can be taken in one block or in up to three blocks within 12 months of the birth or placement.",
                "Statutory leave and benefits are included in, not added to, the 12 weeks.",
                "After returning, parents can work 80% of their hours for full pay during a four-week phased return."])),
            P("Eligibility", [
                "All employees who have completed their probation period of {probation_days} days are eligible.",
                "Employees still in probation receive the statutory minimum and can top up once probation ends.",
                "Both parents can take leave at the same time if they both work at {company}."]),
            S("How to apply", [
                "Tell your manager and the {hr_name} as early as you feel comfortable, ideally 12 weeks before the leave starts.",
                "Submit a parental leave request in {hr_portal} with the expected date.",
                "{hr_name} confirms your dates and pay in writing within five working days.",
                "Agree a handover plan with your manager two weeks before the leave starts."]),
            P("Keeping in touch", [
                "You can use up to ten optional keeping-in-touch days during leave, paid at your normal rate.",
                "Nobody should contact you about work during leave unless you asked them to.",
                "Your benefits, pension and holiday accrual continue throughout the leave."]),
        ],
        audience="all", max_count=1, tenants=("globex",), handbook=False),

    Topic(
        "onboarding", "Onboarding",
        ["New hire onboarding checklist", "Onboarding guide: your first 30 days", "Manager checklist for onboarding a new hire",
         "Onboarding programme overview", "First week at {company}"],
        ["Welcome to {company}! This guide walks you through your first weeks and lists what your manager, buddy and the {hr_name} team will do.",
         "Good onboarding is the single biggest predictor of how quickly new hires become effective, so we treat it as a shared responsibility.",
         "This checklist is used for every new employee, whether they join in {hq}, another office or remotely.",
         "Most of the items are tracked automatically as tasks in {hr_portal}."],
        [
            REQ(B("Before day one", [
                "{hr_name} sends the contract and collects tax and bank details in {hr_portal}.",
                "IT ships the laptop ({laptop}) so that it arrives at least two days before the start date.",
                "The manager assigns an onboarding buddy from the same team.",
                "The manager prepares a 30-60-90 day plan and shares it in the first week.",
                "Accounts in {idp}, {chat}, {wiki} and {tracker} are created automatically from the {hr_portal} record.",
                "The new hire receives a welcome email with their start time and who to ask for."])),
            B("Week one", [
                "Company introduction session with {ceo} (every other Monday).",
                "Security and privacy training, which must be completed before accessing customer data.",
                "Set up MFA with {mfa_method} and install {password_manager}.",
                "Meet your buddy and shadow them for at least two sessions.",
                "Read the team's {wiki} space and the most recent quarterly plan.",
                "Complete benefits enrollment in {hr_portal} within the first 30 days."]),
            P("The first 30 to 90 days", [
                "By day 30, new hires should understand the product, their team's goals and how work is tracked in {tracker}.",
                "By day 60, they should own at least one meaningful piece of work end to end.",
                "By day 90, the manager and the new hire hold a structured check-in that closes the probation period of {probation_days} days.",
                "Engineers typically join the on-call shadow rotation after their first month.",
                "Sales hires complete product certification and shadow at least five customer calls before running their own."]),
            B("Buddy responsibilities", [
                "Meet the new hire on their first day, in person if possible.",
                "Hold a 30-minute check-in twice a week for the first month.",
                "Explain unwritten norms, such as which meetings are optional.",
                "Introduce them to at least five people outside the team.",
                "Flag any blockers to the manager early."]),
            Q("FAQ", [
                ("My laptop has not arrived. What should I do?", "Post in {channel_it}; IT can issue a loaner from any office."),
                ("When is my first payday?", "Payroll runs on the {pick:25th|last working day} of the month. If you start after the 15th, your first salary is paid the following month."),
                ("Who do I ask about benefits?", "Ask in {channel_hr} or open a case in {hr_portal}."),
                ("Can I change my start date?", "Talk to your recruiter; changes are usually possible up to a week before.")]),
        ],
        audience="all", max_count=3),

    Topic(
        "performance", "Performance reviews",
        ["Performance review process", "How performance reviews work at {company}", "Performance review cycle: guide for managers",
         "Performance and growth conversations"],
        ["Performance reviews at {company} happen {review_cycle}.",
         "The aim of the review cycle is honest, specific feedback and clear expectations, not paperwork.",
         "This page describes the timeline, the rating scale and how calibration works.",
         "Compensation decisions use the review outcome but are communicated separately."],
        [
            REQ(B("Timeline", [
                "Week 1: self-reviews open in {hr_portal}.",
                "Week 2: peer feedback requests are sent; each person should receive three to five responses.",
                "Week 3: managers write reviews and propose ratings.",
                "Week 4: calibration sessions per department, facilitated by {hr_name}.",
                "Week 5: managers hold review conversations and share the written review.",
                "Week 6: ratings are locked and feed into the compensation review."])),
            TBL("Rating scale", ["Rating", "Meaning"], [
                ["Exceptional", "Consistently exceeds expectations at the next level"],
                ["Strong", "Fully meets and often exceeds expectations"],
                ["Solid", "Meets expectations for the role"],
                ["Developing", "Meets some expectations; clear growth areas"],
                ["Not meeting", "Does not meet expectations; support plan required"]]),
            P("Calibration", [
                "Calibration makes sure that a Strong rating means the same thing across teams.",
                "Managers present evidence, not adjectives: shipped work, customer impact, peer feedback.",
                "There is no forced distribution, but departments review outliers in either direction.",
                "Calibration notes are confidential and stored only in {hr_portal}."]),
            P("Writing good feedback", [
                "Anchor feedback in specific situations and their impact.",
                "Separate what happened from your interpretation of it.",
                "Mention at least one thing the person should keep doing and one thing to change.",
                "Avoid comments about personality or personal circumstances.",
                "Peer feedback is shared with the recipient in summarised form unless the author opts in to attribution."]),
            P("Support plans", [
                "When someone is not meeting expectations, the manager and {hr_name} agree a written support plan of six to ten weeks.",
                "The plan lists concrete goals, the support offered and weekly check-ins.",
                "Most support plans end with the person meeting expectations again."]),
        ],
        audience="all", max_count=2),

    Topic(
        "remote", "Remote and hybrid work",
        ["Hybrid and remote work policy", "Working from home guidelines", "Hybrid work: expectations and equipment",
         "Remote work policy ({year})"],
        ["{company} is a hybrid company. This policy explains where and when we expect people to work together in person.",
         "Most roles are hybrid; fully remote roles are agreed at hiring time and recorded in the contract.",
         "The policy was updated on {date_past} after the employee survey."],
        [
            REQ(P("Office attendance", [
                "Hybrid employees are expected to be {hybrid_rule}.",
                "Teams may agree additional in-person days around planning weeks and offsites.",
                "Managers should be flexible for caring responsibilities and medical appointments.",
                "Attendance is not tracked by badge data; we trust people to follow the team agreement.",
                "Desks in {hq} are bookable in the workplace app up to two weeks ahead."])),
            B("Working abroad", [
                "You can work from another country for up to {n:15-30} working days per year.",
                "Requests go through {hr_portal} at least three weeks in advance so that tax and immigration checks can be done.",
                "Some countries are excluded because of export controls or data protection rules.",
                "Customer data must never be accessed from a country on the restricted list."]),
            P("Equipment", [
                "Every employee receives a one-off home office stipend of {home_office_stipend}.",
                "Monitors, keyboards and chairs can also be borrowed from the office.",
                "IT does not support personal devices for work apart from the {chat} mobile app.",
                "Report broken equipment in {channel_it}."]),
            P("Working hours and availability", [
                "Teams agree core collaboration hours, usually four hours that overlap across time zones.",
                "Outside core hours, nobody is expected to reply immediately.",
                "Use scheduled send in {chat} when messaging colleagues in other time zones.",
                "Status and calendar should reflect when you are away."]),
        ],
        audience="all", max_count=2),

    Topic(
        "benefits", "Benefits",
        ["Employee benefits overview", "Benefits enrollment guide", "Health and wellbeing benefits", "Benefits summary ({year})"],
        ["This page summarises the benefits available to {company} employees and how to enroll.",
         "Benefits vary slightly by country; the details for your location are in {hr_portal}.",
         "Open enrollment runs from {benefits_window} every year."],
        [
            REQ(B("Core benefits", [
                "Health insurance through {benefits_provider}, with the employer covering most of the premium.",
                "Retirement savings: {retirement}.",
                "Wellness stipend of {wellness_stipend} for gym, sports or mental health apps.",
                "Learning budget of {learning_budget} for courses, books and conferences.",
                "Employee assistance programme with free, confidential counselling.",
                "Employee referral bonus of {referral_bonus} for hires who pass probation."])),
            S("How to enroll", [
                "Open {hr_portal} and go to Benefits.",
                "Review the plans available in your country.",
                "Add dependants if you want them covered.",
                "Confirm your choices before the end of the enrollment window.",
                "You receive confirmation from {benefits_provider} within two weeks."]),
            P("Life events", [
                "Changes outside open enrollment are possible after a qualifying life event such as marriage, a birth or a move.",
                "You have 30 days after the event to update your benefits in {hr_portal}.",
                "The {hr_name} team can help if a provider asks for documents you do not have."]),
        ],
        audience="all", max_count=2),

    Topic(
        "conduct", "Code of conduct",
        ["Code of conduct", "Anti-harassment and respectful workplace policy", "Speaking up: how to raise a concern"],
        ["Our code of conduct describes how we treat each other, our customers and our partners.",
         "Everyone at {company}, including contractors and interns, is expected to follow it.",
         "Breaches of the code are taken seriously and can lead to disciplinary action."],
        [
            REQ(P("Our expectations", [
                "Treat colleagues with respect, regardless of role, background or opinion.",
                "Harassment, discrimination and bullying are never acceptable, in the office, online or at company events.",
                "Avoid conflicts of interest and declare any that you cannot avoid.",
                "Gifts from suppliers above {money:50-100/10} must be declared to {channel_legal}.",
                "Protect confidential information and customer data as described in the security policies."])),
            P("Raising a concern", [
                "You can raise a concern with your manager, the {hr_name} team or {gc}.",
                "If you prefer, use the anonymous speak-up line run by an independent provider.",
                "We will never retaliate against anyone for raising a concern in good faith.",
                "Investigations are handled confidentially and usually complete within four weeks."]),
            B("Examples of unacceptable behaviour", [
                "Unwelcome comments about someone's appearance or private life.",
                "Excluding colleagues from meetings or information on purpose.",
                "Sharing offensive content in {chat}, even as a joke.",
                "Pressuring colleagues to take part in social activities.",
                "Repeatedly interrupting or dismissing colleagues in meetings."]),
        ],
        audience="all", max_count=1),

    Topic(
        "offboarding", "Offboarding",
        ["Offboarding checklist", "Employee exit process", "Offboarding: manager and HR steps"],
        ["This checklist is used by the {hr_name} team and managers when an employee leaves {company}.",
         "Access must be removed on the last working day, so please start the process as soon as a resignation is confirmed.",
         "Exits should be respectful and well organised, whatever the reason for leaving."],
        [
            REQ(S("Checklist", [
                "Manager confirms the last working day with {hr_name} and records it in {hr_portal}.",
                "{hr_name} prepares the exit letter and final pay calculation, including any unused leave where required.",
                "The manager agrees a handover plan and reassigns tickets in {tracker}.",
                "IT schedules account deactivation in {idp} for 18:00 local time on the last day.",
                "The employee returns the laptop and badge, or receives a prepaid return box.",
                "An exit interview is offered by {hr_name}, not by the manager.",
                "Shared credentials the employee had access to are rotated in {password_manager}."])),
            P("Involuntary exits", [
                "For involuntary exits, access removal is coordinated in advance with IT and happens during the meeting.",
                "Managers must not discuss the reasons for an exit with the team beyond the agreed message.",
                "{gc} is consulted before any settlement agreement is offered."]),
            P("Knowledge transfer", [
                "Ask the leaving employee to write down the things only they know: passwords are not one of them.",
                "Record short walkthrough videos of recurring tasks.",
                "Make sure ownership of dashboards, {wiki} spaces and scheduled jobs is transferred."]),
        ],
        audience="dept", max_count=2, extra_groups=("it",)),

    Topic(
        "compensation", "Compensation",
        ["Compensation bands and salary review ({year})", "Salary review guidelines for managers", "Compensation review: process and budget",
         "Pay bands: engineering and product"],
        ["This document is confidential. It describes the salary review process and the budget for the {year} cycle.",
         "Pay decisions are made within bands that are benchmarked against market data twice a year.",
         "Do not forward this document; managers receive their team-specific budgets separately."],
        [
            REQ(P("Budget", [
                "The overall merit budget for this cycle is {pct:3-6} of the salary base, plus a separate {pct:1-2} promotion budget.",
                "Departments receive their budget pro rata to headcount; {ceo} holds a small reserve for retention cases.",
                "Increases are effective from the first payroll after {date_future:20-60}.",
                "Employees who joined in the last three months are not eligible for a merit increase this cycle."])),
            TBL("Indicative bands", ["Level", "Band minimum", "Band midpoint", "Band maximum"], [
                ["L3", "{money:70000-80000/1000}", "{money:85000-95000/1000}", "{money:100000-110000/1000}"],
                ["L4", "{money:95000-105000/1000}", "{money:115000-125000/1000}", "{money:135000-145000/1000}"],
                ["L5", "{money:125000-135000/1000}", "{money:145000-155000/1000}", "{money:170000-180000/1000}"],
                ["L6", "{money:155000-165000/1000}", "{money:180000-190000/1000}", "{money:210000-225000/1000}"]],
                lead="Bands below are for the {hq} market; other locations apply a geographic factor."),
            B("Guidance for managers", [
                "Use the review rating as the main input, then position in band.",
                "People below the band minimum must be brought to the minimum.",
                "Document the rationale for every increase above {pct:8-10}.",
                "Do not promise increases before calibration is complete.",
                "Communicate outcomes in a one-to-one conversation, never by message."]),
            P("Equity", [
                "Refresh equity grants are reviewed once a year for people rated Strong or Exceptional.",
                "Grant sizes follow the level guidelines maintained by {head_hr} and approved by the board.",
                "Vesting follows the standard four-year schedule with monthly vesting after the first year."]),
        ],
        audience="restricted", max_count=2, extra_groups=("execs",), users=("bob", "grace", "kate", "leo"),
        handbook=False),

    Topic(
        "holidays", "Holiday calendar",
        ["Public holiday calendar {next_year}", "Office closure dates {next_year}", "Holiday calendar and office closures"],
        ["This page lists the public holidays and office closures for {next_year}.",
         "Each office follows its local public holidays; the list below covers {hq}.",
         "Customer support and on-call rotas run as normal on public holidays."],
        [
            REQ(B("Dates", [
                "New Year's Day: January 1.",
                "Spring holiday: the Monday after Easter.",
                "Company day: the third Friday of {pick:May|June}.",
                "Summer holiday: the first Monday of {pick:August|September}.",
                "End-of-year closure: December 24 to January 1, inclusive.",
                "One floating holiday that you can take on a day of your choice."], k=(4, 6))),
            P("Notes", [
                "If a holiday falls on a weekend, the next working day is given instead.",
                "People on call during a public holiday receive a replacement day.",
                "Offices outside {hq} publish their own calendars in {hr_portal}."]),
        ],
        audience="all", max_count=1, handbook=False),

    Topic(
        "recruiting", "Hiring process",
        ["Interview process and hiring guidelines", "Structured interviewing guide", "Hiring manager playbook",
         "Recruiting process: from requisition to offer"],
        ["This guide describes how we hire at {company}, from opening a requisition to signing an offer.",
         "Structured interviews reduce bias and make decisions faster, so every role uses a written scorecard.",
         "Recruiting is a team sport: the recruiter owns the process, the hiring manager owns the decision."],
        [
            REQ(S("Process", [
                "The hiring manager opens a requisition in {hr_portal}; the {cfo} office approves headcount.",
                "The recruiter and hiring manager agree the scorecard and interview loop.",
                "Recruiter screen (30 minutes).",
                "Hiring manager interview (45 minutes).",
                "Skills interview or take-home exercise, capped at two hours of candidate time.",
                "Final loop with two or three interviewers, each covering different scorecard areas.",
                "Debrief within 48 hours; the hiring manager makes the decision.",
                "Offer approved in {hr_portal} and sent by the recruiter."])),
            B("Interviewer expectations", [
                "Complete interview training before joining any loop.",
                "Submit written feedback within 24 hours and before seeing other feedback.",
                "Ask the questions from the scorecard; avoid questions about family, age or nationality.",
                "Leave ten minutes for the candidate's questions.",
                "Never discuss compensation; refer the candidate to the recruiter."]),
            P("Offers", [
                "Offers are made within the band for the level; exceptions need approval from {head_hr}.",
                "Verbal offers are followed by a written offer the same day.",
                "References are checked only after a verbal offer and with the candidate's consent.",
                "Candidates who decline are asked for feedback, which is reviewed quarterly."]),
        ],
        audience="dept", max_count=2, extra_groups=("execs",)),
]


# ---------------------------------------------------------------------------
# Engineering topics: runbooks, standards
# ---------------------------------------------------------------------------

ENG_TOPICS = [
    Topic(
        "dbfailover", "Database failover",
        ["Database failover runbook", "Runbook: PostgreSQL primary failover with Patroni",
         "Failover drill runbook for the fleet database"],
        ["This runbook describes how to fail over the main {db} cluster that backs {service} and most of the fleet data model.",
         "The cluster is managed by Patroni with an etcd quorum; automatic failover is enabled, so most of the time you will be verifying rather than acting.",
         "Use this runbook during an incident or during the quarterly failover drill."],
        [
            REQ(P("When to use this runbook", [
                "Use it when the primary is unreachable for more than 60 seconds and Patroni has not promoted a replica on its own.",
                "Use it for planned maintenance on the primary host, such as kernel patching.",
                "Do not use it for slow queries or replication lag alone; see the performance runbook instead.",
                "Page the database on-call through {pager} before starting; two people should be on the call."])),
            S("Planned switchover", [
                "Announce the switchover in {channel_inc} and set the maintenance banner in the status page.",
                "Check cluster health: `patronictl -c /etc/patroni.yml list` must show one leader and two replicas in state `running` with lag under 1 MB.",
                "Pause write-heavy batch jobs (`report-builder` exports and the nightly billing sync).",
                "Run `patronictl switchover --leader pg-fleet-1 --candidate pg-fleet-2 --force`.",
                "Watch the PgBouncer pools reconnect; error rates on {service} should return to baseline within two minutes.",
                "Resume the batch jobs and remove the banner."]),
            S("Unplanned failover", [
                "Confirm the primary is really down: check the host in {monitoring} and try `pg_isready -h pg-fleet-1`.",
                "Check `patronictl list`; if a new leader is already elected, skip to verification.",
                "If no leader exists, identify the replica with the lowest lag and run `patronictl failover --candidate <replica>`.",
                "Fence the old primary by stopping Patroni on it so that it cannot come back as a second leader.",
                "Verify that the service DNS name points at the new leader (Patroni updates it through the Consul-style callback).",
                "Rebuild the old primary as a replica with `patronictl reinit` once the host is healthy."]),
            B("Verification", [
                "`SELECT pg_is_in_recovery();` returns false on the new leader.",
                "Replication slots exist for both replicas.",
                "Write latency p99 in {monitoring} is under 20 ms.",
                "No errors mentioning `read-only transaction` in {logs}.",
                "The backup job succeeded on the new leader within the next hour."]),
            P("Notes", [
                "Expected data loss is zero for planned switchovers and under five seconds of writes for unplanned failovers.",
                "Our recovery time objective is 10 minutes.",
                "Last drill: {date_past:20-80}, completed in {n:4-9} minutes by {person}."]),
        ],
        audience="dept", max_count=1, tenants=("globex",), handbook=False),

    Topic(
        "deploy", "Deploy process",
        ["Deploy process", "How we deploy to production", "Deployment runbook and release checklist",
         "Deploy process: canaries and rollbacks", "Production deploy guide for new engineers"],
        ["All production changes go through {ci} and are rolled out by {deployer}. This page explains the process and the rules.",
         "We deploy many times a day. The process is designed to make small changes safe, not to slow people down.",
         "This guide is part of engineering onboarding; read it before your first production deploy.",
         "The process applies to every service in the {k8s} clusters, including internal tools."],
        [
            REQ(S("Standard deploy", [
                "Merge to `main` after review; {ci} builds the image and runs the test suite.",
                "{deployer} deploys the new image to staging automatically.",
                "Check the staging smoke tests and the service dashboard in {monitoring}.",
                "Promote to production with a canary of 5% of traffic for 15 minutes.",
                "If error rate and latency stay within the SLO, {deployer} continues to 25%, 50% and 100%.",
                "Post the deploy link in the team channel if the change is user-visible."])),
            B("Rules", [
                "No deploys on Fridays after 15:00 local time or during a declared incident.",
                "Database migrations ship separately from the code that depends on them.",
                "Every deploy must be revertible within five minutes.",
                "Feature flags are the default for risky changes.",
                "Changes to {service} and other tier-1 services need a second reviewer from the owning team.",
                "Change freezes are announced in {channel_eng} at least a week in advance."]),
            S("Rollback", [
                "In {deployer}, open the service and choose the previous release.",
                "Confirm the rollback; it skips the canary and goes straight to 100%.",
                "If the change included a migration, check whether it is backwards compatible before rolling back.",
                "Open an incident in {channel_inc} if customers were affected."]),
            P("Migrations", [
                "Migrations run as a separate job before the deploy and must be backwards compatible with the running version.",
                "Long-running migrations (more than a minute on production-size data) need a plan reviewed by the data infrastructure team.",
                "Never drop a column in the same release that stops writing to it.",
                "Use `lock_timeout` to avoid blocking production traffic."]),
            P("Deploy metrics", [
                "Last quarter we averaged {n:25-60} production deploys per working day.",
                "Change failure rate was {pct:3-9}, and median time to restore was {n:12-40} minutes.",
                "The deploy dashboard in {monitoring} shows these numbers per team."]),
        ],
        audience="dept", max_count=3),

    Topic(
        "oncall", "On-call",
        ["On-call handbook", "On-call rotation and expectations", "Being on call: a guide for engineers",
         "On-call compensation and handover", "Primary on-call checklist"],
        ["This handbook describes how on-call works for product engineering teams at {company}.",
         "On-call exists so that customers get help quickly when something breaks. It should be sustainable for the people doing it.",
         "Pages are routed through {pager}; incident coordination happens in {channel_inc}.",
         "Teams with fewer than five engineers share a rotation with a sibling team."],
        [
            REQ(P("Rotation", [
                "Each team runs a weekly rotation with a primary and a secondary, handing over on {weekday} at 10:00.",
                "New engineers shadow two rotations before joining as secondary.",
                "The acknowledgement target is five minutes for high-urgency pages.",
                "If you cannot acknowledge, the page escalates to the secondary and then to the engineering manager.",
                "Swaps are arranged directly and recorded as overrides in {pager}."])),
            B("During your shift", [
                "Keep your laptop and a charged phone with you; stay within 15 minutes of a usable connection.",
                "Acknowledge every page, even if it turns out to be noise.",
                "Declare an incident early; it is cheap to downgrade.",
                "Write a short note in the handover document for every page.",
                "Tune or delete alerts that paged without needing action.",
                "Hand over open issues explicitly at the end of the shift."]),
            P("Compensation", [
                "On-call engineers receive a weekly stipend of {money:250-400/25} for a primary shift and {money:100-200/25} for a secondary shift.",
                "Time spent handling pages outside working hours can be taken back as time off within the following month.",
                "After a night with more than two pages, take the morning off.",
                "Managers review page volume monthly; more than two out-of-hours pages per week is treated as a reliability bug."]),
            S("Handover", [
                "Review the pages and incidents of the week in {pager}.",
                "Update the handover note with anything unresolved.",
                "Check upcoming risky changes and planned maintenance.",
                "Confirm the next primary has acknowledged the handover in {channel_eng}."]),
            TBL("Severity levels", ["Severity", "Definition", "Response"], [
                ["SEV1", "Full outage or data loss for many customers", "Page incident commander, status page within 15 minutes"],
                ["SEV2", "Major feature degraded for many customers", "Incident channel, status page within 30 minutes"],
                ["SEV3", "Minor impact or single customer", "Handle in working hours"]]),
        ],
        audience="dept", max_count=3),

    Topic(
        "certs", "Certificate rotation",
        ["Runbook: TLS certificate rotation", "Certificate renewal runbook", "Rotating internal and public certificates"],
        ["Public certificates are issued by Let's Encrypt through cert-manager; internal certificates come from the internal CA managed by the platform team.",
         "Expired certificates have caused two incidents in the last two years, so we alert 21 days before expiry.",
         "This runbook covers both automated renewal failures and manual rotation."],
        [
            REQ(S("When the expiry alert fires", [
                "Open the alert in {monitoring} and note the certificate name and namespace.",
                "Run `kubectl get certificate -A | grep -v True` to list certificates that are not ready.",
                "Describe the failing certificate with `kubectl describe certificate <name> -n <namespace>` and read the events.",
                "Most failures are DNS-01 challenges blocked by a missing DNS permission; check the cert-manager logs in {logs}.",
                "Fix the cause, then trigger renewal with `cmctl renew <name> -n <namespace>`.",
                "Confirm the new expiry date with `openssl s_client -connect host:443 | openssl x509 -noout -enddate`."])),
            S("Manual rotation of an internal certificate", [
                "Generate a CSR with the standard template in the platform repository.",
                "Request signing through the internal CA tool; two approvals from the platform team are required.",
                "Store the certificate and key in the secrets manager, never in the repository.",
                "Restart or reload the affected service and check its health endpoint.",
                "Update the certificate inventory in {wiki}."]),
            P("Notes", [
                "Certificates for customer custom domains are rotated by the edge team and are out of scope here.",
                "Mobile apps pin the intermediate certificate, not the leaf, so routine rotation does not require an app release.",
                "If a private key may have been exposed, treat it as a security incident and page {ciso}'s team."]),
        ],
        audience="dept", max_count=2),

    Topic(
        "queuelag", "Consumer lag",
        ["Runbook: {queue} consumer lag", "Handling consumer lag on the event pipeline", "Event pipeline backlog runbook"],
        ["This runbook applies when the consumer lag alert fires for any consumer group on the {queue} event pipeline.",
         "The pipeline carries domain events between {service} and the downstream consumers, including search indexing and notifications.",
         "Lag on its own is not an incident; lag that grows for more than 15 minutes usually is."],
        [
            REQ(S("Triage", [
                "Open the pipeline dashboard in {monitoring} and identify which consumer group is lagging.",
                "Check whether input volume spiked; a bulk import or backfill can cause a temporary backlog.",
                "Check consumer error rates and restarts; a poison message usually shows up as a crash loop.",
                "Look at the consumer's dependency latency (database, external APIs).",
                "Decide: wait, scale out, or skip the bad message."])),
            S("Mitigation", [
                "Scale out the consumer deployment, up to the number of partitions: `kubectl scale deploy/<consumer> --replicas=<n>`.",
                "If a poison message is blocking progress, move it to the dead-letter topic with the pipeline CLI and note the offset in the incident channel.",
                "If a downstream dependency is slow, enable the consumer's degraded mode flag to skip non-essential enrichment.",
                "Once lag is decreasing, scale back gradually to avoid rebalancing storms."]),
            P("Background", [
                "Each topic has {n:12-48} partitions and a retention of seven days, so there is time to recover before data is lost.",
                "Consumers commit offsets after processing, which means messages can be processed twice; handlers must be idempotent.",
                "The search indexer is the most common source of lag because it batches writes to the search cluster."]),
        ],
        audience="dept", max_count=2),

    Topic(
        "diskpressure", "Disk pressure",
        ["Runbook: node disk pressure", "Disk full on Kubernetes nodes", "Runbook: volume usage above 85%"],
        ["This runbook covers disk pressure on {k8s} worker nodes and on persistent volumes used by stateful services.",
         "Disk alerts fire at 85% usage and page at 92%."],
        [
            REQ(S("Node disk pressure", [
                "Identify the node from the alert and check `kubectl describe node <node>` for the DiskPressure condition.",
                "Check which pods write the most data; container logs and emptyDir volumes are the usual suspects.",
                "Cordon the node if usage keeps growing: `kubectl cordon <node>`.",
                "Drain it if it reaches 95%; the autoscaler will replace it.",
                "File a ticket for the owning team of any pod writing excessive logs."])),
            S("Persistent volume nearly full", [
                "Confirm growth rate in {monitoring}; estimate time until full.",
                "Expand the volume by editing the PVC size; our storage class supports online expansion.",
                "For databases, check for bloated tables and old WAL files before expanding.",
                "Record the expansion in the capacity planning sheet."]),
            P("Prevention", [
                "Services must log at INFO level or above in production.",
                "Log lines larger than 16 KB are truncated by the collector.",
                "Capacity reviews happen monthly with the platform team."]),
        ],
        audience="dept", max_count=2),

    Topic(
        "backup", "Backups and restore",
        ["Backup and restore runbook", "Restore drill procedure", "Database backups: how they work and how to restore"],
        ["All production databases are backed up continuously with WAL archiving plus a nightly base backup.",
         "A backup that has never been restored is not a backup, so we run restore drills every month.",
         "This page explains where backups live and how to restore to a point in time."],
        [
            REQ(P("How backups work", [
                "Base backups run nightly at 02:00 UTC and are stored in object storage in {region_secondary}.",
                "WAL segments are archived continuously, allowing point-in-time recovery to within a few seconds.",
                "Backups are encrypted with a key held in the cloud KMS; only the database on-call role can decrypt them.",
                "Retention is 35 days for production and 7 days for staging."])),
            S("Point-in-time restore", [
                "Agree the target time with the incident commander and write it down in UTC.",
                "Create a new database instance from the restore template; never restore over the running primary.",
                "Run the restore tool with the base backup before the target time and the WAL up to it.",
                "Validate row counts for the affected tables and compare with {monitoring} metrics.",
                "Copy the required data back with a reviewed SQL script, or switch the application to the restored instance.",
                "Delete the temporary instance once the incident is closed."]),
            P("Restore drills", [
                "Drills run on the first {weekday} of each month on a randomly chosen database.",
                "The last drill took {n:25-70} minutes from start to validated restore.",
                "Drill results are recorded in {wiki} and reviewed at the reliability review."]),
        ],
        audience="dept", max_count=2),

    Topic(
        "incidentprocess", "Incident management",
        ["Incident management process", "Incident commander guide", "How we run incidents", "Incident severity and communication guide"],
        ["This document describes how we respond to production incidents, from declaration to postmortem.",
         "Anyone can declare an incident; it is always better to declare early.",
         "The process is blameless: we look for system causes, not people to blame."],
        [
            REQ(S("Declaring an incident", [
                "Type `/incident declare` in {chat}; a new channel is created and linked in {channel_inc}.",
                "Pick a severity; the bot pages the incident commander for SEV1 and SEV2.",
                "Post a short description of what you see and what is affected.",
                "The incident commander assigns roles: operations lead, communications lead and scribe."])),
            B("Incident commander responsibilities", [
                "Keep the response focused and decide on next steps.",
                "Make sure someone updates the status page at the agreed interval.",
                "Pull in other teams when needed and keep the channel readable.",
                "Decide when to downgrade or resolve the incident.",
                "Ensure a postmortem owner is assigned before closing."]),
            P("Communication", [
                "Customer-facing updates go through the support team and the status page.",
                "For SEV1 incidents, {cto} and the customer success leads are informed within 30 minutes.",
                "Internal updates are posted in the incident channel every 30 minutes, even if there is no news.",
                "Avoid speculating about causes in customer communication."]),
            P("Postmortems", [
                "Every SEV1 and SEV2 incident gets a written postmortem within five working days.",
                "The postmortem review meeting is open to all engineers.",
                "Action items are tracked in {tracker} with the `postmortem` label and reviewed weekly.",
                "We publish a summary for customers for every SEV1."]),
        ],
        audience="dept", max_count=2),

    Topic(
        "codereview", "Code review",
        ["Code review guidelines", "Engineering standards: code review and pull requests", "Pull request checklist"],
        ["Code review keeps quality high and spreads knowledge. These guidelines apply to every repository owned by {company} engineering.",
         "Reviews should be fast and kind. Aim to give a first response within one working day."],
        [
            REQ(B("Authors", [
                "Keep pull requests small; under 400 changed lines is a good target.",
                "Write a description that explains why, not just what.",
                "Link the {tracker} issue and any relevant design document.",
                "Add tests for new behaviour and for every bug fix.",
                "Self-review the diff before requesting a review.",
                "Mark generated files so reviewers can skip them."])),
            B("Reviewers", [
                "Review the design first, then the details.",
                "Prefix optional comments with `nit:`.",
                "Approve when the change is good enough, not perfect.",
                "If a discussion goes past three rounds, talk on a call.",
                "Check for security issues: input validation, authorisation checks and secrets in code."]),
            P("Required checks", [
                "All pull requests need a passing build in {ci} and at least one approval.",
                "Changes to authentication, billing or data deletion need two approvals, one from the owning team.",
                "Dependency updates are proposed automatically and can be merged by any engineer if checks pass."]),
        ],
        audience="dept", max_count=2),

    Topic(
        "secrets", "Secrets management",
        ["Secrets management guidelines", "Runbook: rotating a leaked secret", "How to store and rotate service credentials"],
        ["Service credentials, API keys and database passwords live in the secrets manager, never in code or {wiki}.",
         "This page explains how secrets are stored, accessed and rotated."],
        [
            REQ(P("Storage", [
                "Secrets are stored in the cloud secrets manager and mounted into pods by the secrets operator.",
                "Access is granted per service account; humans only get read access through a time-limited break-glass role.",
                "Secret scanning runs on every push in {ci} and blocks merges that contain credentials."])),
            S("Rotating a leaked secret", [
                "Treat the leak as a security incident and post in {channel_sec}.",
                "Create a new credential with the provider and store it as a new version.",
                "Roll the affected deployments so that they pick up the new version.",
                "Revoke the old credential once traffic using it has stopped.",
                "Search {logs} for use of the old credential after the leak time.",
                "Record the rotation in the incident ticket."]),
            P("Routine rotation", [
                "Database passwords rotate automatically every 90 days.",
                "Third-party API keys are rotated at least once a year; owners are listed in the secrets inventory.",
                "Signing keys follow a separate procedure owned by {ciso}'s team."]),
        ],
        audience="dept", max_count=2),
]


# ---------------------------------------------------------------------------
# Template-driven document families (postmortems, RFCs, meeting notes, ...)
# ---------------------------------------------------------------------------

INCIDENTS = [
    {"short": "connection pool exhaustion",
     "summary": "{svc} ran out of database connections after a deploy raised the number of worker processes per pod, and requests started failing with timeouts.",
     "cause": ["The deploy changed the worker count from 4 to 8 per pod, but the PgBouncer pool size stayed at 200.",
               "With 40 pods, the service could open up to 320 server connections, well above what the pool allowed.",
               "Requests queued waiting for a connection and hit the 5-second client timeout.",
               "The config change was reviewed, but the reviewer did not know that worker count and pool size are coupled."],
     "trigger": "a routine deploy of {svc} that also changed the worker configuration",
     "detect": "the error-rate alert for {svc} paged the primary on-call",
     "fix": "rolled back the deploy and then raised the pool size in a controlled change",
     "actions": ["Add a startup check that fails if worker count times replicas exceeds the pool budget",
                 "Document the coupling between worker count and pool size in the service README",
                 "Alert on PgBouncer client wait time, not only on errors"]},
    {"short": "expired TLS certificate",
     "summary": "Calls from {svc} to {svc2} failed because the internal TLS certificate of {svc2} expired.",
     "cause": ["The certificate was issued manually two years ago, before cert-manager was adopted, so it was not covered by automatic renewal.",
               "The expiry alert only watched certificates managed by cert-manager.",
               "The certificate inventory in {wiki} listed the certificate, but the listed owner had left the company."],
     "trigger": "the certificate reaching its expiry date",
     "detect": "customer support reported failing exports before any alert fired",
     "fix": "issued a new certificate from the internal CA and restarted {svc2}",
     "actions": ["Migrate the remaining manual certificates to cert-manager",
                 "Add blackbox expiry checks for every internal endpoint",
                 "Assign owners for all entries in the certificate inventory"]},
    {"short": "replica lag and stale reads",
     "summary": "A replica of the main {db} cluster fell far behind the primary and {svc} served stale data to customers for a period.",
     "cause": ["A large backfill ran on the primary without batching and generated WAL faster than the replica could replay.",
               "{svc} sends read traffic to replicas and did not check replication lag.",
               "Customers saw records they had just edited revert to older values."],
     "trigger": "a backfill job for a new column, started manually during business hours",
     "detect": "a spike in support tickets about missing updates",
     "fix": "routed reads to the primary, paused the backfill, and restarted it in batches of 5,000 rows",
     "actions": ["Make {svc} fall back to the primary when replica lag exceeds 10 seconds",
                 "Require backfills to use the batch runner with throttling",
                 "Alert on replica lag above 30 seconds"]},
    {"short": "broker disk full",
     "summary": "One broker in the {queue} cluster ran out of disk, producers for {svc} failed, and events were delayed.",
     "cause": ["A new topic was created with the default retention of 30 days instead of our standard 7 days.",
               "The topic received high-volume debug events that were only meant for staging.",
               "Disk usage alerts existed but were routed to an email list nobody reads."],
     "trigger": "a configuration change that enabled verbose event publishing in production",
     "detect": "producer error alerts on {svc}",
     "fix": "reduced retention on the topic, deleted old segments and moved the alert routing to {pager}",
     "actions": ["Enforce topic retention through the topic provisioning tool",
                 "Route all disk alerts through {pager}",
                 "Add a pre-production check for debug publishing flags"]},
    {"short": "bad feature flag rollout",
     "summary": "A feature flag intended for internal accounts was enabled for all customers and broke the login flow for a subset of users.",
     "cause": ["The flag targeting rule used an attribute that is empty for accounts created before {year}.",
               "An empty attribute matched the rule, so the new login flow was served to older accounts.",
               "The new flow depended on a field those accounts did not have."],
     "trigger": "enabling the flag in production",
     "detect": "the login success rate dashboard dropped and the on-call was paged",
     "fix": "disabled the flag; logins recovered within two minutes",
     "actions": ["Add flag rule tests that run against a sample of real account shapes",
                 "Require a staged percentage rollout for flags on authentication paths",
                 "Add an alert on login success rate per account cohort"]},
    {"short": "runaway batch job",
     "summary": "A scheduled reporting job saturated database CPU and slowed down {svc} for most customers.",
     "cause": ["A change to the reporting query removed a filter on the date range, so it scanned the full table.",
               "The job runs against the primary because its replica was decommissioned last quarter.",
               "There was no statement timeout for the reporting role."],
     "trigger": "the nightly report schedule, which coincided with morning traffic in Asia-Pacific",
     "detect": "latency SLO burn-rate alert on {svc}",
     "fix": "cancelled the query with `pg_cancel_backend` and disabled the job",
     "actions": ["Set a statement timeout for all batch roles",
                 "Move reporting to a dedicated replica",
                 "Add query plan checks to the reporting repository's CI"]},
    {"short": "DNS resolution failures",
     "summary": "Pods in one cluster intermittently failed to resolve internal hostnames, causing errors across several services including {svc}.",
     "cause": ["CoreDNS pods were under-provisioned after the cluster grew by 40% in node count.",
               "The `ndots:5` default caused each lookup to generate several queries.",
               "CoreDNS started dropping queries under load, and clients retried, which increased load further."],
     "trigger": "a scale-up event during a traffic peak",
     "detect": "error alerts from multiple services at once",
     "fix": "scaled CoreDNS horizontally and enabled NodeLocal DNSCache",
     "actions": ["Autoscale CoreDNS proportionally to cluster size",
                 "Set `ndots:2` in the default pod template",
                 "Add a DNS latency panel to the cluster dashboard"]},
    {"short": "memory leak after release",
     "summary": "A new release of {svc} leaked memory, pods were repeatedly killed by the OOM killer, and requests failed during restarts.",
     "cause": ["A cache added in the release had no size limit and grew with every unique customer ID.",
               "The canary ran for 15 minutes, which was not long enough for memory to reach the limit.",
               "Restarts were spread out, so the deploy looked healthy until most pods had been running for several hours."],
     "trigger": "release {version} of {svc}",
     "detect": "the OOMKilled alert for {svc}",
     "fix": "rolled back to the previous release and later shipped a bounded LRU cache",
     "actions": ["Add a memory growth check to the canary analysis",
                 "Lint for unbounded in-memory caches",
                 "Document cache guidelines in the engineering handbook"]},
    {"short": "third-party provider outage and retry storm",
     "summary": "An outage at an external provider caused {svc} to retry aggressively, which exhausted its thread pool and affected unrelated endpoints.",
     "cause": ["Retries used a fixed one-second delay without jitter or a budget.",
               "All calls to the provider shared one thread pool with customer-facing endpoints.",
               "The circuit breaker was configured but disabled during an earlier incident and never re-enabled."],
     "trigger": "the provider's regional outage",
     "detect": "the provider's status page and our latency alerts, almost simultaneously",
     "fix": "re-enabled the circuit breaker and isolated provider calls into a separate pool",
     "actions": ["Use exponential backoff with jitter and a retry budget for all outbound calls",
                 "Add a check that fails the build if a circuit breaker is disabled for more than seven days",
                 "Isolate third-party calls with bulkheads"]},
    {"short": "migration locked a hot table",
     "summary": "A schema migration took an exclusive lock on a busy table and blocked writes in {svc}.",
     "cause": ["The migration added a column with a volatile default, which rewrites the table in {db}.",
               "The migration did not set `lock_timeout`, so it waited behind a long transaction and then held the lock.",
               "Writes queued behind it until the connection pool was exhausted."],
     "trigger": "a deploy that included the migration",
     "detect": "write error alerts and customer reports",
     "fix": "cancelled the migration, then re-ran it as three steps: add nullable column, backfill in batches, set default",
     "actions": ["Add a migration linter that rejects volatile defaults on large tables",
                 "Set `lock_timeout` to 3 seconds for all migrations",
                 "Run migrations outside peak hours for tables over 10 GB"]},
    {"short": "cache stampede after restart",
     "summary": "After a planned restart of the {cache} cluster, all clients missed the cache at once and overloaded the database behind {svc}.",
     "cause": ["The restart was planned, but the runbook did not include warming the cache.",
               "Cache keys had identical expiry times, so they also expired together later in the day.",
               "The database could handle only about a third of the uncached load."],
     "trigger": "planned maintenance on the {cache} cluster",
     "detect": "latency alerts on {svc} and database CPU alerts",
     "fix": "rate-limited the heaviest endpoint and let the cache fill gradually",
     "actions": ["Add jitter to cache expiry times",
                 "Use request coalescing for cache misses",
                 "Add cache warming to the maintenance runbook"]},
    {"short": "clock skew broke token validation",
     "summary": "Some nodes had clocks drifting by more than a minute, and {svc} rejected valid tokens as not yet valid.",
     "cause": ["A new node image disabled the time synchronisation service by mistake.",
               "Token validation allowed only 30 seconds of clock skew.",
               "Only nodes created after the image change were affected, which made the errors look random."],
     "trigger": "the rollout of a new node image",
     "detect": "a slow increase in 401 responses that crossed the alert threshold after two hours",
     "fix": "re-enabled time synchronisation and replaced the affected nodes",
     "actions": ["Add a clock offset metric and alert per node",
                 "Test node images for time synchronisation in CI",
                 "Increase allowed skew to 60 seconds"]},
    {"short": "log ingestion quota exceeded",
     "summary": "Log ingestion hit its daily quota, logs were dropped for several hours, and we lost visibility during an unrelated incident in {svc}.",
     "cause": ["A debug log statement in a hot loop shipped in a release of {svc2}.",
               "The log pipeline had a hard daily quota with no per-service limits.",
               "Nobody was alerted when ingestion started dropping data."],
     "trigger": "a release of {svc2} with debug logging left on",
     "detect": "engineers noticed missing logs while debugging another issue",
     "fix": "rolled back {svc2} and raised the quota temporarily",
     "actions": ["Add per-service log rate limits",
                 "Alert when ingestion is dropping data",
                 "Lint for debug logging in production code paths"]},
    {"short": "autoscaling hit quota",
     "summary": "{svc} could not scale out during a traffic spike because the cluster reached the cloud account's CPU quota.",
     "cause": ["Quota had not been reviewed since the last capacity plan, a year earlier.",
               "Pending pods were visible but nobody watched that metric.",
               "The traffic spike came from a large customer's month-end batch, which we knew about but had not planned for."],
     "trigger": "month-end traffic from a large customer",
     "detect": "latency alerts, then pending pod count in {monitoring}",
     "fix": "requested a quota increase and shed low-priority batch work",
     "actions": ["Alert at 80% of every cloud quota",
                 "Review quotas as part of quarterly capacity planning",
                 "Share large customers' batch calendars with engineering"]},
]


def _incident_prepare(ctx):
    rng = ctx.rng
    inc = rng.choice(INCIDENTS)
    svcs = rng.sample(ctx.prof["services"], 2)
    sev = rng.choice(["SEV1", "SEV2", "SEV2", "SEV3"])
    dur = rng.randint(14, 190)
    day = ctx.updated - dt.timedelta(days=rng.randint(2, 12))
    ctx.set(svc=svcs[0], svc2=svcs[1], sev=sev, dur=dur, inc_date=fmt_date(day),
            inc_id="%s-%d" % (ctx.prof["inc_prefix"], rng.randint(300, 2400)),
            ic=ctx.person(), author=ctx.person(), inc_short=inc["short"])
    ctx.data["inc"] = inc
    ctx.data["inc_day"] = day


def _inc_summary(ctx):
    inc = ctx.data["inc"]
    rng = ctx.rng
    parts = [inc["summary"],
             "The incident was classified as {sev} and lasted {dur} minutes.",
             "It was triggered by %s." % inc["trigger"],
             rng.choice(["The incident commander was {ic}.", "{ic} acted as incident commander.",
                         "{ic} led the response; {author} wrote this review."])]
    return "## Summary\n\n" + " ".join(ctx.fill(p) for p in parts)


def _inc_impact(ctx):
    rng = ctx.rng
    lines = [
        "Approximately {pct:3-60} of requests to {svc} failed or timed out during the incident.",
        "{n:12-480} customers were affected; {n:2-14} contacted support.",
        "No data was lost." if rng.random() < 0.7 else "A small number of writes ({n:20-900} records) had to be replayed from the event log.",
        rng.choice(["The monthly availability for {svc} dropped to {pick:99.82|99.87|99.91|99.74}%, below the 99.9% SLO.",
                    "The incident consumed about {pct:30-90} of the monthly error budget for {svc}.",
                    "Two enterprise customers asked for a written incident report."]),
    ]
    return "## Impact\n\n" + " ".join(ctx.fill(x) for x in lines)


def _inc_timeline(ctx):
    rng = ctx.rng
    inc = ctx.data["inc"]
    start = ctx.data["inc_day"].replace(hour=rng.randint(6, 21), minute=rng.randint(0, 59))
    total = ctx.fixed["dur"]
    marks = sorted(rng.sample(range(2, max(total, 8)), 4))
    events = [
        (0, ctx.fill("Impact starts after %s." % inc["trigger"])),
        (marks[0], ctx.fill("Detected: %s." % inc["detect"])),
        (marks[1], ctx.fill("{ic} declares a {sev} incident in {channel_inc}.")),
        (marks[2], ctx.fill(rng.choice(["First hypothesis ruled out after checking dashboards in {monitoring}.",
                                        "Status page updated; support informed.",
                                        "Second engineer from the owning team joins the call."]))),
        (marks[3], ctx.fill("Mitigation: the team %s." % inc["fix"])),
        (total, "Metrics back to baseline; incident resolved."),
    ]
    lines = ["- %s UTC: %s" % ((start + dt.timedelta(minutes=m)).strftime("%H:%M"), e) for m, e in events]
    return "## Timeline\n\n" + "\n".join(lines)


def _inc_cause(ctx):
    inc = ctx.data["inc"]
    return "## Root cause\n\n" + " ".join(ctx.fill(x) for x in inc["cause"])


def _inc_actions(ctx):
    inc = ctx.data["inc"]
    rng = ctx.rng
    extra = ["Update the runbook for {svc} with the mitigation steps used here",
             "Add this scenario to the next game day",
             "Review alert thresholds for {svc}"]
    items = inc["actions"] + rng.sample(extra, rng.randint(0, 2))
    lines = []
    for it in items:
        lines.append("- %s (owner: %s, %s, due %s)" % (ctx.fill(it), ctx.person(),
                                                        ctx.fill("{eng_prefix}") + "-%d" % rng.randint(100, 3999),
                                                        ctx.fill("{date_future:10-45}")))
    return "## Action items\n\n" + "\n".join(lines)


INC_WELL = ["Once the cause was known, mitigation took only a few minutes.",
            "Responders had the access they needed without waiting for approvals.",
            "The incident channel stayed focused and well documented.",
            "Support had a customer-facing message ready quickly.",
            "The runbook for {svc} was accurate and easy to follow.",
            "Engineers from two teams joined within ten minutes."]
INC_WRONG = ["It took too long to rule out a network problem.",
             "The dashboard for {svc} did not show the relevant metric.",
             "The on-call engineer did not have permission to change the configuration.",
             "Status page updates were late.",
             "Nobody knew who owned the component at first.",
             "The first mitigation attempt made things slightly worse."]

POSTMORTEM = Topic(
    "postmortem", "Postmortems",
    ["Postmortem: {svc} {inc_short} ({inc_date})", "Incident review {inc_id}: {inc_short}",
     "{inc_id} postmortem - {svc}", "Incident review: {inc_short} in {svc}"],
    ["This postmortem is blameless. It focuses on what happened and how our systems and processes can improve.",
     "Author: {author}. Review meeting held on {date}.",
     "Status: action items in progress.",
     "Please add comments in {wiki} rather than in {chat} so that discussion stays with the document."],
    [REQ(F(_inc_summary)), REQ(F(_inc_impact)), F(_inc_timeline), REQ(F(_inc_cause)),
     P("Detection and response", [
         "The first responder was the primary on-call for {svc}, who joined the incident call within {n:3-9} minutes of the page.",
         "Most of the time to mitigate was spent forming and ruling out hypotheses, not applying the fix.",
         "The runbook covered the failure mode partially; the missing steps have been added.",
         "Dashboards in {monitoring} showed the symptom clearly, but the cause was only visible in {logs}.",
         "Communication with support worked well; the status page was updated {n:2-5} times during the incident.",
         "We considered failing over to {region_secondary}, but decided the risk was higher than waiting for the fix."], k=(3, 5)),
     P("Customer communication", [
         "Support answered {n:5-40} tickets using the prepared macro.",
         "A summary was sent to affected enterprise customers within two working days.",
         "No service credits were requested.",
         "Customer success contacted the {n:2-6} largest affected accounts directly.",
         "The public incident summary was published on the status page the next day."], k=(2, 3)),
     B("What went well", INC_WELL, k=(2, 4)), B("What went wrong", INC_WRONG, k=(2, 4)),
     REQ(F(_inc_actions)),
     P("Lessons learned", [
         "Configuration changes deserve the same review and rollout discipline as code changes.",
         "Alerts should page on customer-visible symptoms first and causes second.",
         "Ownership needs to be explicit for every component, including old ones nobody touches.",
         "Safety mechanisms that are disabled temporarily need an expiry date.",
         "Load and failure testing in staging would have caught this before production."], k=(2, 3))],
    audience="dept", max_count=20, weight=4.0, prepare=_incident_prepare, intro_k=(1, 2),
    extra_groups=("execs",), handbook=False)


# --- RFCs / design documents -------------------------------------------------

RFC_IDEAS = [
    ("Move {svc} to event-driven processing", "Today {svc} polls the database every 30 seconds for new work, which adds load and latency.",
     "Publish domain events to {queue} and have {svc} consume them."),
    ("Introduce per-tenant rate limiting at the gateway", "A single customer's batch jobs can degrade the API for everyone.",
     "Add token-bucket rate limiting per tenant at the API gateway, with limits stored in tenant configuration."),
    ("Split {svc} into read and write paths", "Read traffic on {svc} is fifty times write traffic and scales differently.",
     "Serve reads from a separate deployment backed by replicas and a cache, and keep writes on the primary path."),
    ("Adopt OpenTelemetry for tracing", "Our tracing uses three different libraries, so traces break at service boundaries.",
     "Standardise on OpenTelemetry SDKs and a single collector per cluster."),
    ("Retire the legacy reporting database", "The legacy reporting database runs an unsupported version and is used by only four dashboards.",
     "Move the four dashboards to the warehouse and decommission the database."),
    ("Multi-region active-passive for {svc}", "A full outage of {region_primary} would take {svc} down for hours.",
     "Run a warm standby in {region_secondary} with asynchronous replication and a tested failover procedure."),
    ("Replace cron jobs with a workflow engine", "We have more than 60 cron jobs with no retries, no visibility and no owners.",
     "Move scheduled work to a workflow engine with retries, alerting and ownership metadata."),
    ("Soft delete and data retention for customer records", "Deleted records disappear immediately, which makes recovery and retention rules hard to implement.",
     "Introduce soft delete with a 30-day recovery window, followed by hard deletion by a retention job."),
    ("Search indexing pipeline v2", "Index updates lag by up to ten minutes and full reindexes take two days.",
     "Stream changes through {queue} into the indexer, and support zero-downtime reindexing with index aliases."),
    ("Standard service template", "New services take about two weeks to set up with logging, metrics, CI and deploy configuration.",
     "Provide a service template that includes all of this and can be generated in an hour."),
]


def _rfc_prepare(ctx):
    rng = ctx.rng
    idea = rng.choice(RFC_IDEAS)
    svc = rng.choice(ctx.prof["services"])
    ctx.set(svc=svc, eng_team=rng.choice(ctx.prof["eng_team"]), author=ctx.person(), rfc_num=str(rng.randint(20, 260)), rfc_status=rng.choice(
        ["Draft", "In review", "Accepted", "Accepted", "Implemented", "Superseded"]))
    ctx.set(rfc_title=ctx.fill(idea[0]))
    ctx.data["rfc"] = idea


def _rfc_context(ctx):
    idea = ctx.data["rfc"]
    extra = ctx.rng.sample([
        "The problem has come up in {n:3-6} postmortems over the last year.",
        "Customers have raised it in quarterly business reviews.",
        "On-call load related to this area is about {pct:10-35} of all pages for the team.",
        "The current design was reasonable when we had a tenth of today's traffic.",
        "Several teams have built their own workarounds, which now need maintenance."], 2)
    return "## Context\n\n" + " ".join(ctx.fill(x) for x in [idea[1]] + extra)


def _rfc_proposal(ctx):
    idea = ctx.data["rfc"]
    extra = ctx.rng.sample([
        "The change is rolled out behind a feature flag, one tenant cohort at a time.",
        "Both paths run in parallel for two weeks, and we compare results before switching over.",
        "The work is estimated at {n:3-10} engineer-weeks, owned by the {eng_team} team.",
        "No customer-facing API changes are required.",
        "Configuration lives in the tenant configuration service so that support can adjust it without a deploy.",
        "We will write a runbook and add dashboards before the first production rollout."], 3)
    return "## Proposal\n\n" + " ".join(ctx.fill(x) for x in [idea[2]] + extra)


RFC = Topic(
    "rfc", "Design documents",
    ["RFC-{rfc_num}: {rfc_title}", "Design doc: {rfc_title}", "RFC: {rfc_title}"],
    ["Author: {author}. Status: {rfc_status}. Reviewers: {person}, {person}.",
     "This document proposes a change and asks for feedback by {date_future:5-20}.",
     "Comments are welcome from any team; decisions are recorded at the end."],
    [REQ(F(_rfc_context)),
     B("Goals", ["Reduce p99 latency for the affected endpoints by at least {pct:20-50}.",
                 "Remove a class of incidents that recurs every quarter.",
                 "Keep operational cost within {money:1000-8000/100} per month.",
                 "Make ownership and on-call responsibility explicit.",
                 "Allow teams to adopt the change incrementally."], k=(2, 4)),
     B("Non-goals", ["Changing the public API.", "Migrating historical data older than two years.",
                     "Supporting on-premises installations.", "Rewriting the service in another language."], k=(1, 3)),
     REQ(F(_rfc_proposal)),
     P("Alternatives considered", [
         "We considered doing nothing and adding capacity, which is cheaper this year but does not fix the underlying problem.",
         "A managed product would solve most of the problem, but the pricing scales badly with our traffic.",
         "Building it inside {svc} avoids a new component but couples two teams' release cycles.",
         "A simpler version without the migration step was rejected because it would leave two systems running indefinitely."], k=(2, 3)),
     P("Detailed design", [
         "The new component runs as a separate deployment in the existing {k8s} clusters, owned by the {eng_team} team.",
         "State is kept in {db}; no new datastore is introduced.",
         "Communication with {svc} happens through versioned messages on {queue}, so both sides can be deployed independently.",
         "All operations are idempotent, which allows safe retries after partial failures.",
         "Configuration is read at startup and can be reloaded without a restart.",
         "Per-tenant limits protect shared resources from a single noisy customer.",
         "We keep the existing code path behind a flag until the new one has run in production for a full month."], k=(4, 6), paras=(1, 2)),
     P("Testing and observability", [
         "Load tests replay a day of production traffic at twice the normal rate.",
         "New dashboards in {monitoring} show throughput, error rate and latency per tenant.",
         "Alerts are defined as SLO burn-rate alerts rather than static thresholds.",
         "A shadow mode compares the results of the old and new paths and logs any difference.",
         "Chaos tests kill random pods during the load test to verify recovery."], k=(3, 4)),
     P("Security and privacy", [
         "No new personal data is stored.",
         "Service-to-service calls use mutual TLS and the existing service identities.",
         "The design was reviewed with {ciso}'s team, who asked for audit logging of configuration changes.",
         "Data is encrypted at rest with the standard platform keys."], k=(2, 3)),
     TBL("Cost estimate", ["Item", "Monthly cost"], [
         ["Compute", "{money:800-4000/100}"], ["Storage", "{money:100-900/50}"], ["Observability", "{money:100-600/50}"]],
         lead="Estimated additional infrastructure cost in {cloud}:"),
     B("Risks", ["Increased operational complexity during the migration period.",
                 "Subtle behaviour differences between the old and new paths.",
                 "Dependency on the {eng_team} team's roadmap.",
                 "Cost could exceed estimates if traffic grows faster than planned."], k=(2, 3)),
     B("Rollout plan", ["Milestone 1 ({date_future:14-30}): prototype and load test in staging.",
                        "Milestone 2 ({date_future:31-60}): internal tenants on the new path.",
                        "Milestone 3 ({date_future:61-90}): all tenants migrated; old path removed."], k=(3, 3)),
     P("Decision", ["Accepted at the architecture review on {date_past:1-10} with minor changes.",
                    "The review asked for a load test report before milestone 2.",
                    "Open questions are tracked in {tracker}."], k=(1, 3))],
    audience="dept", max_count=12, weight=2.5, prepare=_rfc_prepare, intro_k=(1, 2), handbook=False)


# --- Meeting notes (any department) -------------------------------------------

MEETING_AGENDAS = {
    "hr": ["Open requisitions and time to hire", "Engagement survey results", "Benefits renewal with {benefits_provider}",
           "Performance review timeline", "Office attendance feedback", "Onboarding feedback from recent hires",
           "Manager training programme", "Payroll provider migration"],
    "eng": ["Reliability review: last week's incidents", "On-call load by team", "Migration to {db} status",
            "Deploy pipeline duration", "Cost review for {cloud}", "Hiring for the {eng_team} team",
            "Tech debt budget for next quarter", "Security patch backlog"],
    "sales": ["Pipeline review for {quarter}", "Top deals and blockers", "Pricing feedback from the field",
              "Competitive losses to {competitor}", "Renewals at risk", "Partner channel update", "Territory planning"],
    "fin": ["Month-end close status", "Budget versus actuals", "Cash forecast", "Vendor payment run",
            "Audit preparation", "Procurement requests awaiting approval", "Revenue recognition questions"],
    "legal": ["Contract backlog", "Privacy requests received this month", "Template updates",
              "Outside counsel spend", "Trademark filings", "Regulatory changes"],
    "it": ["Laptop refresh programme", "Helpdesk ticket volume", "MFA rollout status", "Phishing simulation results",
           "Software licence renewals", "Access review findings", "Office network upgrade in {office}"],
    "prod": ["Roadmap review for {next_quarter}", "Customer feedback themes", "Beta results for the new dashboard",
             "Pricing and packaging", "Release notes for {version}", "Discovery interviews", "Analytics instrumentation gaps"],
}

MEETING_DISCUSSION = [
    "{person} noted that the numbers improved compared with last month but are still below target.",
    "The group agreed that the current process works but is too dependent on one person.",
    "There was a long discussion about priorities; the conclusion was to finish existing work before starting new initiatives.",
    "{person} will share a proposal in {wiki} before the next meeting.",
    "Several people raised that the tooling is slow; nobody owns it today.",
    "We reviewed the open risks and closed two that are no longer relevant.",
    "{person} shared feedback from customers, mostly positive, with one recurring complaint about reporting.",
    "Budget is tight for the rest of the quarter, so new spend above {approve_1} needs explicit approval.",
    "The team will try a two-week experiment and review the results.",
    "We agreed to move this meeting to every other week from now on.",
    "{person} asked for clearer ownership; the decision is to assign a directly responsible individual per item.",
    "Dependencies on other teams are the main source of delay this month.",
    "{person} walked through the latest numbers; the trend is flat compared with {prev_quarter}.",
    "The main blocker is waiting on a decision from {person}.",
    "We need more data before deciding; {person} will pull it from the dashboard.",
    "Two options were discussed: keep the current approach, or invest {n:2-4} weeks to fix it properly.",
    "It was pointed out that the same topic came up three meetings ago without progress.",
    "{person} suggested writing a short FAQ so that the same questions stop coming up in {chat}.",
    "The proposal got broad support, with one concern about timing around the end of the quarter.",
    "Feedback from the last survey was mixed; the free-text comments are worth reading.",
    "We will ask the leadership team for a decision at the next staff meeting.",
    "{person} reported that the pilot with {n:2-5} teams went well and should be extended.",
    "Headcount for this work is not approved yet, so the scope needs to be reduced.",
    "A quick poll showed that most people prefer an asynchronous update in {wiki} over this meeting slot.",
    "{person} will check with {person} whether the deadline can move by a week.",
    "Nobody objected to the plan, but {person} wants to see a rollback option before committing.",
]


def _mtg_prepare(ctx):
    rng = ctx.rng
    agendas = MEETING_AGENDAS.get(ctx.dept, MEETING_AGENDAS["prod"])
    n = rng.randint(5, 7) if ctx.data.get("long") else rng.randint(3, 5)
    ctx.data["agenda"] = [ctx.fill(a) for a in rng.sample(agendas, min(n, len(agendas)))]
    ctx.set(mtg_topic=ctx.data["agenda"][0], team=rng.choice(ctx.prof["eng_team"]))


def _mtg_attendees(ctx):
    names = sorted({ctx.person() for _ in range(ctx.rng.randint(4, 9))})
    return "Attendees: " + ", ".join(names) + ".\n\nNotes taken by " + ctx.person() + "."


def _mtg_agenda(ctx):
    return "## Agenda\n\n" + "\n".join("%d. %s" % (i + 1, a) for i, a in enumerate(ctx.data["agenda"]))


def _mtg_discussion(ctx):
    rng = ctx.rng
    out = ["## Discussion"]
    pool = MEETING_DISCUSSION[:]
    rng.shuffle(pool)
    for a in ctx.data["agenda"]:
        n = rng.randint(3, 5) if ctx.data.get("long") else rng.randint(2, 4)
        sents, pool = pool[:n], pool[n:]
        out.append("**%s.** %s" % (a, " ".join(ctx.fill(s) for s in sents)))
    return "\n\n".join(out)


def _mtg_actions(ctx):
    rng = ctx.rng
    verbs = ["Follow up on", "Write a one-pager on", "Share numbers for", "Schedule a review of",
             "Draft a proposal for", "Collect feedback on"]
    lines = []
    for a in rng.sample(ctx.data["agenda"], min(len(ctx.data["agenda"]), rng.randint(2, 4))):
        lines.append("- [ ] %s \"%s\" (owner: %s, due %s)" % (rng.choice(verbs), a, ctx.person(),
                                                              ctx.fill("{date_future:3-21}")))
    return "## Action items\n\n" + "\n".join(lines)


MEETING = Topic(
    "meeting", "Meeting notes",
    ["{dept_label} weekly sync - {date}", "Meeting notes: {mtg_topic} ({iso_date})", "{dept_label} leadership meeting notes, {date}",
     "Notes: {dept_label} monthly review ({month} {year})"],
    ["These notes are shared with the team after every meeting.", "Recording is available in the meeting folder for two weeks.",
     "Previous notes are linked from the {wiki} space."],
    [REQ(F(_mtg_attendees)), REQ(F(_mtg_agenda)), REQ(F(_mtg_discussion)),
     P("Decisions", ["Decision: proceed with the proposal as written.", "Decision: revisit in two weeks with more data.",
                     "Decision: {person} owns the follow-up and will report back.", "Decision: no change for now."], k=(1, 2)),
     REQ(F(_mtg_actions))],
    audience="dept", max_count=10, weight=1.5, prepare=_mtg_prepare, intro_k=(0, 1), handbook=False)


# --- Hiring plans (HR) -------------------------------------------------------

ROLES = [
    ("Senior Backend Engineer", "eng", ["Design and build services in Java and Go", "Own the reliability of {service}",
                                        "Mentor mid-level engineers", "Take part in the on-call rotation"]),
    ("Site Reliability Engineer", "eng", ["Improve our {k8s} platform", "Build observability with {monitoring}",
                                          "Lead incident response and postmortems", "Automate capacity planning"]),
    ("Account Executive, Mid-Market", "sales", ["Run full sales cycles for accounts with 100 to 1,000 employees",
                                                "Build pipeline with SDRs and partners", "Forecast accurately in {crm}",
                                                "Work with solutions engineers on demos"]),
    ("Financial Analyst", "finance", ["Support the monthly close", "Build the departmental budget models",
                                      "Analyse spend against budget", "Prepare board reporting packs"]),
    ("IT Support Specialist", "it", ["Run the helpdesk queue", "Set up laptops with {mdm}", "Manage access in {idp}",
                                     "Support office AV and networking"]),
    ("Product Manager, Reporting", "eng", ["Own the reporting roadmap for {product_main}", "Run discovery with customers",
                                           "Write specs with engineering and design", "Define success metrics"]),
    ("Commercial Counsel", "legal", ["Review and negotiate customer contracts", "Maintain templates and playbooks",
                                     "Advise on privacy questions", "Train the sales team on contract basics"]),
    ("People Partner", "hr", ["Advise managers on performance and team issues", "Run the review cycle for two departments",
                              "Analyse engagement survey results", "Support organisational changes"]),
]


def _hire_prepare(ctx):
    rng = ctx.rng
    role = rng.choice(ROLES)
    ctx.data["role"] = role
    loc = rng.choice(ctx.prof["offices"] + ["Remote"])
    ctx.set(role=role[0], hm=ctx.person(), recruiter=ctx.person(), headcount=str(rng.randint(1, 3)), loc=loc,
            loc_phrase="as a remote role" if loc == "Remote" else "in our %s office" % loc)
    ctx.data["acl_hint"] = role[1]


def _hire_why(ctx):
    rng = ctx.rng
    s = ["We are hiring {headcount} x {role} {loc_phrase}, reporting to {hm}.",
         rng.choice(["The role is budgeted in the approved headcount plan for {quarter}.",
                     "This is a backfill for a departure last month.",
                     "The team's workload grew by roughly {pct:30-70} over the last two quarters."]),
         rng.choice(["Target start date is {date_future:45-90}.", "We aim to have an accepted offer within six weeks.",
                     "The recruiter for this role is {recruiter}."])]
    return "## Why we are hiring\n\n" + " ".join(ctx.fill(x) for x in s)


def _hire_resp(ctx):
    role = ctx.data["role"]
    return "## Responsibilities\n\n" + "\n".join("- " + ctx.fill(x) for x in role[2])


HIRING = Topic(
    "hiring", "Hiring plans",
    ["Hiring plan: {role} ({loc})", "Requisition brief - {role}", "Role intake notes: {role}"],
    ["This brief is shared between the hiring manager, the recruiter and the interview panel.",
     "Salary range and level are in the requisition in {hr_portal} and are not repeated here."],
    [REQ(F(_hire_why)), REQ(F(_hire_resp)),
     B("Must-have qualifications", ["Several years of experience in a similar role.",
                                    "Clear written communication; most of our work is asynchronous.",
                                    "Experience working with customers or internal stakeholders directly.",
                                    "Comfort with ambiguity and changing priorities.",
                                    "Fluent English; additional European languages are a plus."], k=(3, 4)),
     B("Interview loop", ["Recruiter screen ({recruiter}).", "Hiring manager interview ({hm}).",
                          "Skills exercise reviewed by two panel members.", "Values and collaboration interview.",
                          "Final conversation with the department head."], k=(4, 5)),
     P("Sourcing", ["We will post the role on our careers page and two specialist job boards.",
                    "Referrals are encouraged; the referral bonus is {referral_bonus}.",
                    "{recruit_agency} has been engaged as an external agency for this role, for a fee of {pct:15-20} of first-year salary.",
                    "We want a diverse shortlist; the recruiter will report on pipeline diversity weekly."], k=(2, 3))],
    audience="dept", max_count=5, weight=1.0, prepare=_hire_prepare, intro_k=(1, 2), handbook=False)


# --- Employee relations case notes (restricted) -------------------------------

def _er_prepare(ctx):
    rng = ctx.rng
    ctx.set(case_id="ER-%d-%03d" % (ctx.updated.year, rng.randint(1, 80)),
            initials="%s.%s." % (rng.choice("ABCDEFGHJKLMNPRSTW"), rng.choice("ABCDEFGHJKLMNPRSTW")),
            er_type=rng.choice(["attendance concern", "conflict between team members", "expense policy breach",
                                "request for workplace adjustment", "grievance about workload",
                                "conflict of interest declaration"]))


ER_OUTCOMES = [
    ("The case was resolved informally with an agreed action plan.",
     "A review meeting is scheduled for {date_future:20-45}; if the plan is followed, the case will be closed then."),
    ("A written warning was issued in line with the disciplinary policy.",
     "The employee has the right to appeal within ten working days; no appeal has been received so far."),
    ("Reasonable adjustments were agreed: adjusted working hours and additional equipment.",
     "{hr_name} will check in with the employee and manager after six weeks."),
    ("The case remains open pending the outcome of the mediation session on {date_future:5-20}.",
     "Both parties have agreed to keep the matter confidential in the meantime."),
    ("No breach of policy was found.",
     "The manager will receive coaching on handling similar situations earlier; the case is closed."),
]


def _er_outcome(ctx):
    outcome, follow = ctx.rng.choice(ER_OUTCOMES)
    return "## Outcome and next steps\n\n" + ctx.fill(outcome + " " + follow)


ER_CASE = Topic(
    "ercase", "Employee relations",
    ["Case summary {case_id}: {er_type}", "Employee relations case {case_id}", "Confidential: {er_type} ({case_id})"],
    ["Confidential. Access is limited to the case owner and named reviewers.",
     "Employee referred to by initials ({initials}) only. Full records are in {hr_portal}."],
    [REQ(P("Background", [
        "The case was opened on {date_past:10-60} after the employee's manager contacted the {hr_name} team.",
        "The employee has been with {company} for {n:1-9} years and has no previous cases on file.",
        "The concern relates to events over the last {n:2-6} months.",
        "The manager had already held two informal conversations before escalating."], k=(2, 4))),
     P("Steps taken", [
        "A fact-finding meeting was held with the employee, who was offered a companion.",
        "Statements were collected from {n:2-4} colleagues.",
        "The relevant policy was reviewed with {gc}'s team.",
        "An occupational health referral was offered and accepted.",
        "Both parties were offered mediation by an external mediator."], k=(2, 4)),
     REQ(F(_er_outcome)),
     ],
    audience="restricted", max_count=3, weight=0.8, prepare=_er_prepare, users=("bob", "kate"),
    extra_groups=(), intro_k=(2, 2), handbook=False)


# ---------------------------------------------------------------------------
# Sales
# ---------------------------------------------------------------------------

def _acct_prepare(ctx):
    rng = ctx.rng
    ctx.set(cust=rng.choice(ctx.prof["customer"]), ae=ctx.person(), se=ctx.person(),
            comp=rng.choice(ctx.prof["competitor"]), arr=ctx.money(18000, 420000, 1000),
            seats="{:,}".format(rng.randint(40, 2400)), stage=rng.choice(["Discovery", "Evaluation", "Proposal",
                                                                "Negotiation", "Closed won", "Closed lost"]))


SALES_TOPICS = [
    Topic(
        "pricing", "Pricing",
        ["Pricing and packaging notes ({year})", "Price list and packaging overview", "Pricing FAQ for account executives",
         "Pricing notes: {tier2} vs {tier3}"],
        ["This page summarises current list prices and packaging for {product_main}. Prices are in {cur_code} unless stated otherwise.",
         "List prices change at most once a year; the last change took effect on {date_past:60-300}.",
         "Quotes must be generated from {crm} so that approvals and discounts are tracked."],
        [
            REQ(TBL("Plans", ["Plan", "List price", "Typical customer"], [
                ["{tier1}", "{price1}", "Small teams getting started"],
                ["{tier2}", "{price2}", "Growing companies that need integrations and SSO"],
                ["{tier3}", "{price3}", "Large organisations with security and compliance requirements"]])),
            B("What is included", [
                "{tier1}: core features, email support, 99.5% uptime target.",
                "{tier2}: everything in {tier1}, plus SSO, API access, audit log and business-hours chat support.",
                "{tier3}: everything in {tier2}, plus SCIM provisioning, data residency options, a named customer success manager and a 99.9% SLA.",
                "Annual contracts are paid upfront; monthly billing is available on {tier1} and {tier2} only.",
                "Add-on: premium support at 15% of the subscription value."]),
            P("Discounting", [
                "Account executives can approve discounts up to {disc_ae} on annual contracts.",
                "Discounts up to {disc_dir} need approval from a sales director; up to {disc_vp} from {vp_sales}.",
                "Anything beyond {disc_vp}, or non-standard payment terms, goes to the deal desk in {channel_sales}, which includes finance.",
                "Multi-year contracts can receive an additional 5% per year of commitment, up to 10%.",
                "Never discount to win a deal we expect to churn; it sets a price anchor for the renewal."]),
            P("Price increases at renewal", [
                "Customers on legacy plans move to current pricing at renewal, with a maximum increase of {pct:7-12} per year.",
                "Customer success must notify affected customers at least 60 days before the renewal date.",
                "Exceptions for strategic accounts need approval from {vp_sales} and {cfo}."]),
            Q("FAQ", [
                ("Can we offer a free pilot?", "Yes, for {tier3} opportunities: up to 30 days, with written success criteria agreed in advance."),
                ("Do non-profits get a discount?", "Registered non-profits receive 25% off {tier1} and {tier2} without extra approval."),
                ("Can a customer mix plans?", "Not within one workspace. Large customers with different needs should use separate workspaces."),
                ("How do we price usage above the contract?", "Overage is billed quarterly in arrears at list price minus the contract discount.")]),
        ],
        audience="dept", max_count=3, extra_groups=("finance",)),

    Topic(
        "playbook", "Sales playbook",
        ["Sales playbook: {pick:mid-market|enterprise|public sector}", "Discovery call playbook", "Outbound prospecting playbook",
         "Sales process and stage definitions", "Enterprise deal playbook"],
        ["This playbook describes how we sell {product_main}: who we sell to, how we run discovery and how deals move through the stages in {crm}.",
         "It is a living document; suggest changes in {channel_sales}.",
         "New account executives should read this in their first week and revisit it after their first closed deal."],
        [
            REQ(P("Ideal customer profile", [
                "Our best customers have between 200 and 5,000 employees and a dedicated operations or finance team.",
                "They usually run on spreadsheets or a legacy tool and feel the pain at month end.",
                "Industries with the best win rates are logistics, healthcare and professional services.",
                "A champion with budget authority is present in almost every deal we win.",
                "Deals without a clear business owner close at less than half the rate of the others."])),
            B("Discovery questions", [
                "What triggered the evaluation now?",
                "How do you handle this process today, and how many people are involved?",
                "What happens if you do nothing this year?",
                "Who else needs to be involved in the decision?",
                "How will you measure success after six months?",
                "What does your security review involve, and how long does it usually take?",
                "Which other tools are you looking at?"]),
            TBL("Stage definitions", ["Stage", "Exit criteria"], [
                ["Discovery", "Pain, champion and timeline identified"],
                ["Evaluation", "Demo done, success criteria agreed"],
                ["Proposal", "Pricing shared, economic buyer engaged"],
                ["Negotiation", "Legal and security review in progress"],
                ["Closed won", "Signed order form in {crm}"]]),
            P("Objection handling", [
                "When the customer says it is too expensive, go back to the cost of the current process that they quantified in discovery.",
                "When they are worried about implementation effort, share the standard 30-day onboarding plan and a reference customer.",
                "If they prefer {competitor}, ask what they like about it and focus on integrations and support quality.",
                "Security objections go to the solutions engineer with the security pack, not to a discount.",
                "Never criticise a competitor directly; stick to facts about our product."]),
            P("Forecasting", [
                "Forecast categories in {crm} are pipeline, best case, commit and closed.",
                "A deal moves to commit only when the economic buyer has confirmed budget and timing.",
                "Forecast calls happen every {weekday} with {vp_sales}.",
                "Accuracy is measured at the end of each quarter; the target is within 10% of the commit."]),
        ],
        audience="dept", max_count=3),

    Topic(
        "battlecard", "Competitive battlecards",
        ["Battlecard: {company} vs {competitor}", "Competitive notes: {competitor}", "How to win against {competitor}"],
        ["This battlecard summarises what we know about {competitor} and how to position {product_main} against it.",
         "Information comes from lost-deal reviews, customer conversations and public material. Do not share it outside {company}.",
         "Last updated on {date_past:5-40} by the product marketing team."],
        [
            REQ(P("Overview", [
                "{competitor} targets the same mid-market segment and competes on price.",
                "They have a strong brand in the {pick:UK|DACH region|US Midwest|Nordics} but a small support team.",
                "Their product is easy to set up but has limited integrations and no audit log on lower plans.",
                "They raised a large funding round last year and are investing in partnerships.",
                "We meet them in roughly {pct:20-45} of competitive deals."])),
            B("Where we win", [
                "Integrations with {erp} and {crm}, which customers use every day.",
                "Enterprise security: SSO, SCIM, audit log and data residency.",
                "Support response times and a named customer success manager.",
                "Reporting flexibility for finance teams.",
                "Reference customers in the same industry."]),
            B("Where we lose", [
                "Small deals where price is the only criterion.",
                "Customers who need a feature only {competitor} has today.",
                "Deals where we engaged late and the customer had already decided.",
                "Evaluations without a champion in the operations team."]),
            P("Landmines to set", [
                "Ask how the customer will handle audit requests without a full audit log.",
                "Ask what happens when they need to connect their ERP.",
                "Ask for the vendor's uptime history for the last 12 months.",
                "Suggest a reference call with a customer who switched from {competitor}."]),
        ],
        audience="dept", max_count=4),

    Topic(
        "accountplan", "Account plans",
        ["Account plan: {cust}", "Account plan {cust} ({quarter})", "Opportunity review: {cust}", "QBR notes: {cust}"],
        ["Account executive: {ae}. Solutions engineer: {se}. Stage: {stage}.",
         "Current annual value: {arr} for {seats} {unit}s.",
         "This plan is reviewed in the weekly pipeline meeting."],
        [
            REQ(P("Account summary", [
                "{cust} is a long-standing customer that uses {product} in {n:2-6} departments.",
                "{cust} is evaluating us against {comp} for a company-wide rollout.",
                "The main contact is the head of operations, who became our champion after the pilot.",
                "Usage grew {pct:10-60} over the last two quarters, mostly from the reporting module.",
                "Their procurement process requires three quotes and a security questionnaire.",
                "Budget for the next fiscal year is being set in {month}."])),
            B("Goals for this quarter", [
                "Expand to the {pick:finance|logistics|customer service|field operations} team ({n:40-300} additional {unit}s).",
                "Renew early with a two-year term.",
                "Complete the security review before {date_future:20-60}.",
                "Get a case study approved by their marketing team.",
                "Introduce {se} to their IT architect for the integration workshop."], k=(2, 4)),
            B("Risks", [
                "Champion may leave; the reorganisation is still unclear.",
                "{comp} offered a significantly lower price.",
                "The customer had two support escalations last quarter.",
                "Legal review of the DPA may take longer than planned.",
                "Budget freeze announced for non-essential software."], k=(2, 3)),
            P("Next steps", [
                "{ae} will send the proposal by {date_future:3-14}.",
                "{se} runs a technical workshop on the API and SSO setup.",
                "Deal desk review needed because the requested discount is above {disc_dir}.",
                "Executive sponsor call with {vp_sales} to be scheduled."], k=(2, 3)),
        ],
        audience="dept", max_count=10, weight=3.0, prepare=_acct_prepare, intro_k=(2, 3), handbook=False),

    Topic(
        "winloss", "Win/loss reviews",
        ["Win/loss review: {cust}", "Closed-lost analysis: {cust}", "Deal review: {cust} ({stage})"],
        ["This review summarises why the {cust} opportunity ended the way it did and what we learn from it.",
         "Owner: {ae}. Reviewed with {vp_sales} on {date_past:2-14}."],
        [
            REQ(P("What happened", [
                "The opportunity started from an inbound demo request after a webinar.",
                "The sales cycle took {n:40-190} days, longer than our median of 74.",
                "{comp} was brought in by the customer's new IT director late in the evaluation.",
                "We ran a 30-day pilot with {n:2-5} teams; success criteria were met on all but one point.",
                "Final pricing was {arr} per year after a discount of {pct:8-25}."], k=(3, 5))),
            B("Key factors", [
                "Strong champion in operations who presented the business case internally.",
                "Our integration with {erp} was decisive.",
                "Price difference with {comp} was too large for the procurement team.",
                "We could not commit to a roadmap feature within their timeline.",
                "The security review went smoothly thanks to the standard pack.",
                "The economic buyer was not engaged until the final week."], k=(3, 4)),
            P("Lessons", [
                "Engage the economic buyer before the pilot starts.",
                "Agree written success criteria for every pilot.",
                "Share pricing ranges early to avoid surprises late in the cycle.",
                "Loop in product management when a roadmap commitment is requested."], k=(2, 3)),
        ],
        audience="dept", max_count=5, weight=1.5, prepare=_acct_prepare, intro_k=(2, 2), handbook=False),

    Topic(
        "commission", "Commission plan",
        ["Sales commission plan {year}", "Compensation plan for account executives ({year})", "Commission plan FAQ"],
        ["This document describes the {year} commission plan for quota-carrying sales roles. It is confidential.",
         "The plan was approved by {cfo} and {vp_sales} on {date_past:20-90}."],
        [
            REQ(P("Structure", [
                "Account executives have a 50/50 split between base salary and on-target commission.",
                "Commission is paid monthly on booked annual contract value, at a base rate of {pct:8-12}.",
                "Above 100% of quota, an accelerator of 1.5x applies; above 150%, 2x.",
                "Multi-year prepaid deals earn commission on the first year only.",
                "Deals with discounts above {disc_dir} earn commission at a reduced rate."])),
            B("Clawbacks and disputes", [
                "Commission is clawed back if a customer does not pay within 120 days.",
                "Commission disputes must be raised within 60 days of the payout.",
                "Split deals are agreed in {crm} before close; the default split is 50/50.",
                "Finance publishes commission statements by the 10th of each month."]),
        ],
        audience="restricted", max_count=2, extra_groups=("finance", "execs"), users=("dave", "carol", "judy", "ivan"),
        handbook=False),
]


# ---------------------------------------------------------------------------
# Finance
# ---------------------------------------------------------------------------

FIN_TOPICS = [
    Topic(
        "close", "Quarterly close",
        ["Quarterly close checklist", "Month-end and quarter-end close process", "Close calendar for {quarter}",
         "Quarter-end close: roles and deadlines"],
        ["The close process turns a month of transactions into reliable financial statements. We aim to close within {close_days}.",
         "This checklist is owned by {controller}, the controller, and is used for every month-end; quarter-end adds the steps marked as quarterly.",
         "All close tasks are tracked in the close management tool and linked to {erp}."],
        [
            REQ(S("Close checklist", [
                "Day -2: send the close calendar and reminders to budget owners for accruals.",
                "Day 1: cut off accounts payable; all invoices received by 17:00 are booked in the period.",
                "Day 1: reconcile bank accounts and the corporate card feed.",
                "Day 2: book payroll, commissions and bonus accruals.",
                "Day 2: run revenue recognition and deferred revenue schedules.",
                "Day 3: review prepaid expenses and fixed assets, book depreciation.",
                "Day 3: intercompany reconciliation between entities.",
                "Day 4: flux analysis on the income statement; explain movements over 10% and {money:20000-50000/5000}.",
                "Day 5: controller review and sign-off; results shared with {cfo}.",
                "Quarterly: prepare the board pack and the covenant calculation."])),
            B("Common issues", [
                "Late purchase orders that lead to unaccrued expenses.",
                "Card transactions without receipts in {expense_tool}.",
                "Revenue contracts with non-standard terms that were not flagged by sales.",
                "Foreign-exchange differences on intercompany balances.",
                "Vendors invoicing to a personal email instead of the AP mailbox."]),
            P("Accruals", [
                "Budget owners must report goods and services received but not yet invoiced by day 1.",
                "Accruals below {money:1000-2500/500} are not booked unless they recur.",
                "Accruals are reversed automatically on the first day of the next period.",
                "Budget owners who miss the accrual deadline will see the cost in the following month, which distorts their budget reports."]),
            P("Sign-off", [
                "The controller signs off each balance sheet reconciliation in the close tool.",
                "{cfo} reviews the quarterly results with {ceo} before they go to the board.",
                "The external auditors receive read-only access to the close tool during the year-end audit."]),
        ],
        audience="dept", max_count=3, extra_groups=("execs",)),

    Topic(
        "procurement", "Procurement",
        ["Procurement policy", "How to buy things: procurement process", "Purchasing and vendor selection policy",
         "Procurement policy ({year} update)"],
        ["This policy explains how {company} buys goods and services so that we get good value and manage risk.",
         "Most problems with suppliers start with a purchase made without a contract. Following this process protects you and the company.",
         "The policy applies to all spend with external suppliers, including software subscriptions paid by card."],
        [
            REQ(P("When you need a purchase order", [
                "A purchase order (PO) is required for any purchase above {po_threshold}.",
                "POs are raised in {erp} and must be approved before the supplier starts work.",
                "Invoices without a valid PO are returned to the supplier.",
                "Recurring subscriptions need a PO for the annual value, not the monthly charge.",
                "Purchases above {bids_threshold} require at least three competitive bids or a documented single-source justification."])),
            S("Buying process", [
                "Check whether an existing supplier or contract already covers the need.",
                "Create a purchase request in {erp} with the business case and budget line.",
                "For software, security and legal review the supplier (allow two weeks).",
                "Approvals follow the approval matrix in the invoice approval policy.",
                "Procurement negotiates and issues the PO.",
                "Receive the goods or services in {erp} so that the invoice can be paid."]),
            B("Supplier requirements", [
                "New suppliers are onboarded by finance with tax and bank details verified by phone.",
                "Suppliers that process personal data must sign our data processing agreement.",
                "Preferred suppliers include {vendor}, {vendor} and {vendor}.",
                "Standard payment terms are {payment_terms}.",
                "We do not pay suppliers in advance except for conferences and training."]),
            P("Ethics", [
                "Do not accept gifts or hospitality that could influence a purchasing decision.",
                "Declare any personal relationship with a supplier before taking part in a selection.",
                "Splitting a purchase to stay below an approval threshold is a breach of this policy."]),
        ],
        audience="all", max_count=2),

    Topic(
        "invoice", "Invoice approval",
        ["Invoice approval policy", "Accounts payable: invoice approval matrix", "How invoices are approved and paid",
         "Invoice approval and payment runs"],
        ["This policy defines who can approve supplier invoices and how payments are made.",
         "Invoices are received in the AP mailbox, captured automatically and routed for approval in {erp}.",
         "Approval limits are set by {cfo} and reviewed every year."],
        [
            REQ(TBL("Approval matrix", ["Invoice amount", "Approver"], [
                ["Up to {approve_1}", "Budget owner (manager)"],
                ["Up to {approve_2}", "Department head"],
                ["Up to {approve_3}", "{cfo} (CFO)"],
                ["Above {approve_3}", "{ceo} (CEO) and CFO"]],
                lead="Invoices are approved according to the total contract value, not the single invoice amount.")),
            S("Processing steps", [
                "The supplier sends the invoice to the AP mailbox with the PO number.",
                "AP matches the invoice to the PO and goods receipt (three-way match).",
                "Mismatches above 5% are sent back to the requester.",
                "The approver receives a task in {erp} and approves within five working days.",
                "Approved invoices are paid in the next payment run."]),
            P("Payment runs", [
                "Payment runs happen every {pick:Tuesday|Thursday}; urgent payments outside the run need approval from {controller}.",
                "Our standard terms are {payment_terms}; we do not pay earlier unless there is an early payment discount.",
                "Bank detail changes are always confirmed by a phone call to a known contact at the supplier, never by email.",
                "Payment files are released by two people from the finance team."]),
            P("Fraud warning", [
                "Invoice fraud often starts with an email asking to change bank details urgently.",
                "If anything looks unusual, stop and ask in {channel_fin}.",
                "Last year we prevented {n:2-6} fraudulent payment attempts by following the call-back rule."]),
        ],
        audience="dept", max_count=2, extra_groups=("execs",)),

    Topic(
        "corpcard", "Corporate cards",
        ["Corporate card policy", "Company credit card rules", "Using your corporate card"],
        ["Corporate cards are issued to employees who regularly travel or buy on behalf of their team.",
         "The card is a company asset: it may only be used for business expenses."],
        [
            REQ(P("Rules", [
                "The standard monthly limit is {card_limit}; higher limits need approval from {controller}.",
                "Every transaction needs a receipt and a business purpose in {expense_tool} within 30 days.",
                "Personal use is not allowed, even if you pay it back.",
                "Cash withdrawals are blocked.",
                "Software subscriptions bought by card must still go through security review."])),
            B("Lost or stolen cards", [
                "Freeze the card in the card app immediately.",
                "Report it in {channel_fin}.",
                "Review recent transactions and flag any you do not recognise.",
                "A replacement is issued within five working days."]),
        ],
        audience="all", max_count=1),

    Topic(
        "budget", "Budgeting",
        ["Annual budget planning process ({next_year})", "Budget planning guidelines for department heads", "Budget versus actuals review: {quarter}",
         "Headcount and opex planning for {next_year}"],
        ["This document explains how the {next_year} budget is built and approved.",
         "Budgets are set top-down by the executive team and refined bottom-up by department heads.",
         "Finance business partners support each department throughout the process."],
        [
            REQ(B("Timeline", [
                "{date_future:5-15}: planning assumptions shared by {cfo}.",
                "{date_future:20-35}: department heads submit headcount and non-headcount plans.",
                "{date_future:40-55}: review sessions with the executive team.",
                "{date_future:60-75}: board approval.",
                "January: budgets loaded into {erp}."])),
            P("Assumptions", [
                "Revenue growth is planned at {pct:15-35}, with a downside scenario at half that.",
                "Salary increases are budgeted at {pct:3-5} from the review month.",
                "Fully loaded cost per new hire is estimated at 1.25 times base salary.",
                "Travel budget is capped at the current year's actuals plus 5%.",
                "Software spend should stay flat; new tools must replace existing ones."]),
            P("Variance review", [
                "Each month, budget owners receive a budget versus actuals report.",
                "Variances above 10% need a short explanation in the monthly review.",
                "Underspend does not roll over to the next year.",
                "Reforecasts happen at the end of each quarter."]),
        ],
        audience="dept", max_count=3, extra_groups=("execs",)),

    Topic(
        "boardpack", "Board reporting",
        ["Board pack notes {quarter}", "Financial results summary {prev_quarter}", "Cash runway and forecast update ({month} {year})"],
        ["Confidential: prepared for the board and the executive team.",
         "Figures are preliminary until the auditors complete their review."],
        [
            REQ(P("Results", [
                "Revenue for the quarter was {money:8000000-26000000/100000}, {pct:2-9} above plan.",
                "Gross margin was {pick:71|73|74|76|78}%, in line with the previous quarter.",
                "Operating expenses were {pct:1-6} below budget, mainly due to slower hiring.",
                "Net revenue retention was {pick:104|108|111|115}% and logo churn {pick:1.8|2.1|2.6|3.0}%.",
                "Cash at the end of the quarter was {money:30000000-90000000/1000000}."])),
            P("Outlook", [
                "We expect to reach break-even on an operating basis in {next_year}.",
                "The forecast assumes {n:2-6} large deals closing in {next_quarter}.",
                "Main risks are longer sales cycles and foreign-exchange movements.",
                "Hiring will be limited to revenue-generating and critical engineering roles."]),
            B("Decisions requested from the board", [
                "Approve the revised {next_year} operating plan.",
                "Approve the new option pool top-up.",
                "Note the updated treasury policy.",
                "Approve the auditor's engagement letter."], k=(1, 3)),
        ],
        audience="restricted", max_count=3, extra_groups=("execs",), users=("carol", "grace", "ivan", "leo"),
        handbook=False),

    Topic(
        "vendoronboarding", "Vendor onboarding",
        ["Vendor onboarding procedure", "New supplier setup in {erp}", "Supplier bank detail verification procedure"],
        ["This procedure describes how finance sets up a new supplier in {erp} and verifies its details.",
         "Vendor master data is a common target for fraud, so the steps below are mandatory."],
        [
            REQ(S("Procedure", [
                "The requester submits the supplier form with company registration and tax number.",
                "Finance checks the supplier against the sanctions screening tool.",
                "Bank details are verified by calling a phone number found independently, not the one on the invoice.",
                "A second finance team member approves the new record in {erp}.",
                "Procurement confirms that a contract or PO exists."])),
            P("Changes to existing suppliers", [
                "Change requests for bank details follow the same call-back verification.",
                "Changes are logged and reviewed monthly by {controller}.",
                "Suppliers inactive for 18 months are blocked automatically."]),
        ],
        audience="dept", max_count=2),

    Topic(
        "audit", "Audit preparation",
        ["Year-end audit preparation", "Audit request list and owners", "SOC 2 evidence collection plan"],
        ["This page coordinates preparation for the annual audit.",
         "The audit fieldwork starts on {date_future:20-60}; requests come through the audit portal."],
        [
            REQ(B("Evidence owners", [
                "Revenue and deferred revenue: revenue accounting lead.",
                "Payroll and headcount: {hr_name} with payroll.",
                "Access reviews and change management: IT and engineering.",
                "Contracts and legal matters: {gc}.",
                "Fixed assets and leases: controller's team."])),
            P("Guidelines", [
                "Respond to each request within three working days, or explain the delay.",
                "Upload evidence to the audit portal, never by email.",
                "Do not create documents after the fact; if evidence does not exist, say so.",
                "{controller} reviews all responses before they are submitted."]),
        ],
        audience="dept", max_count=2, extra_groups=("execs",)),
]


# ---------------------------------------------------------------------------
# Legal
# ---------------------------------------------------------------------------

def _contract_prepare(ctx):
    rng = ctx.rng
    ctx.set(cust=rng.choice(ctx.prof["customer"]), counsel=ctx.person(),
            ctype=rng.choice(["Master services agreement", "Order form and MSA amendment", "Data processing agreement",
                              "Reseller agreement", "Mutual NDA", "Enterprise subscription agreement"]),
            cval=ctx.money(25000, 600000, 5000), term=rng.choice(["one year", "two years", "three years"]))


LEGAL_TOPICS = [
    Topic(
        "contractreview", "Contract review",
        ["Contract review process", "How to get a contract reviewed by legal", "Contract review playbook for sales",
         "Contract approval and signature policy"],
        ["This page explains how to request a contract review and what legal needs from you.",
         "Legal reviews every agreement that deviates from our standard templates.",
         "Requests are made in {channel_legal} or through the legal intake form."],
        [
            REQ(S("Requesting a review", [
                "Check whether a standard template fits; templates are in the legal space in {wiki}.",
                "Submit the intake form with the counterparty, contract value, deadline and the other side's draft.",
                "Legal assigns a reviewer within one working day.",
                "Standard reviews take three to five working days; complex agreements take longer.",
                "The reviewer returns a marked-up draft with comments explaining each change.",
                "Once agreed, the contract is signed in the e-signature tool by an authorised signatory."])),
            B("Positions we normally hold", [
                "Liability capped at the fees paid in the previous 12 months.",
                "No unlimited indemnities except for IP infringement and breach of confidentiality.",
                "Governing law of our home jurisdiction; the customer's law is acceptable for large deals with approval from {gc}.",
                "Payment terms of {payment_terms}.",
                "Termination for convenience only at the end of a subscription term.",
                "Our standard DPA, not the customer's, wherever possible."]),
            P("Signature authority", [
                "Only authorised signatories may sign contracts for {legal_name} or its subsidiaries.",
                "Sales contracts up to {approve_3} can be signed by {vp_sales}; above that by {cfo} or {ceo}.",
                "Supplier contracts follow the invoice approval matrix.",
                "Nobody may sign a contract on paper or by email acceptance without legal's approval."]),
            P("Red flags", [
                "Most favoured customer clauses, exclusivity, and source code escrow requests always need legal review.",
                "Audit rights that allow on-site visits at short notice are negotiated down to remote audits with 30 days' notice.",
                "Requests to store data in a specific country go to the security team as well as legal."]),
        ],
        audience="all", max_count=2, extra_groups=("sales",)),

    Topic(
        "retention", "Data retention",
        ["Data retention policy", "Records retention schedule", "Data retention and deletion guidelines",
         "Data retention policy ({year} revision)"],
        ["This policy defines how long {company} keeps different types of records and how they are deleted.",
         "Keeping data longer than necessary increases risk and cost; deleting it too early can break legal obligations.",
         "The policy is owned by {gc} and applies to all systems, including email, {chat} and {wiki}."],
        [
            REQ(TBL("Retention schedule", ["Record type", "Retention period"], [
                ["Financial records and invoices", "{retention_fin}"],
                ["Employee records", "{retention_hr}"],
                ["Application and access logs", "{retention_logs}"],
                ["Email", "{retention_email}"],
                ["{chat} messages", "18 months, except channels under legal hold"],
                ["Customer data after contract end", "Deleted within 90 days"]])),
            P("Customer data", [
                "Customer data is deleted within 90 days after the end of a contract, unless the customer asks for an export first.",
                "Backups containing deleted data expire on their normal schedule and are never restored for other purposes.",
                "Deletion requests from data subjects are handled within 30 days, in line with data protection law for {gdpr_region}.",
                "The deletion job logs every run; logs are kept for the audit trail."]),
            P("Legal holds", [
                "A legal hold suspends deletion for specific people or systems when litigation is expected.",
                "Only {gc} can issue or lift a legal hold.",
                "Employees under a hold receive a notice and must confirm it in writing."]),
            B("Responsibilities", [
                "System owners configure automatic deletion according to the schedule.",
                "Managers make sure team drives are cleaned up when projects end.",
                "Security reviews retention settings as part of the annual access review.",
                "Exceptions are documented and approved by {gc}."]),
        ],
        audience="all", max_count=2),

    Topic(
        "nda", "NDAs",
        ["NDA guidelines", "When and how to use a non-disclosure agreement", "Mutual NDA template: usage notes"],
        ["Use our mutual NDA template before sharing confidential information with prospects, partners or suppliers.",
         "Most NDAs can be signed without legal review if the template is unchanged."],
        [
            REQ(P("When you need an NDA", [
                "Before sharing roadmap, pricing models, security documentation beyond the standard pack, or source code.",
                "Not needed for public information, marketing material or standard demos.",
                "Candidates do not sign NDAs; interviews should not involve confidential information."])),
            S("Process", [
                "Download the template from the legal space in {wiki}.",
                "Fill in the counterparty's legal name and address.",
                "Send it for signature with the e-signature tool.",
                "If the other side wants to use their own NDA, send it to {channel_legal}."]),
            P("Common edits we accept", [
                "A term of three instead of two years.",
                "Mutual instead of one-way obligations.",
                "The counterparty's governing law when it is within the EU or the US."]),
        ],
        audience="all", max_count=1),

    Topic(
        "privacy", "Data protection",
        ["Data processing agreements and GDPR guide", "Handling data subject requests", "Privacy guide for product teams",
         "Sub-processor management procedure"],
        ["This guide explains how {company} handles personal data on behalf of customers and how we respond to privacy requests.",
         "We act as a processor for customer data and as a controller for employee and marketing data."],
        [
            REQ(P("Data processing agreements", [
                "Every customer who stores personal data in {product_main} signs our DPA, which includes the standard contractual clauses.",
                "The list of sub-processors is public; customers are notified 30 days before a new one is added.",
                "Requests to review the DPA go to the legal team through the intake form.",
                "We do not accept unlimited liability for data protection breaches."])),
            S("Data subject requests", [
                "Log the request in the privacy tracker on the day it arrives.",
                "Verify the identity of the requester.",
                "If the data belongs to a customer, forward the request to that customer; they are the controller.",
                "For our own data, collect the records from {hr_portal}, {crm} and other systems.",
                "Respond within 30 days; extensions must be communicated before the deadline."]),
            B("Privacy by design checklist", [
                "Collect only the data you need.",
                "Document the purpose and legal basis for every new data field.",
                "Set a retention period and implement automatic deletion.",
                "Restrict access by role and log access to sensitive data.",
                "Run a privacy impact assessment for high-risk processing."]),
        ],
        audience="dept", max_count=2, extra_groups=("eng", "execs")),

    Topic(
        "opensource", "Open source",
        ["Open source usage policy", "Using and contributing to open source", "Open source licence guide for engineers"],
        ["We use a lot of open source software. This policy explains which licences are allowed and how to contribute back.",
         "Licence compliance is checked automatically in {ci}."],
        [
            REQ(TBL("Licence categories", ["Category", "Examples", "Allowed"], [
                ["Permissive", "MIT, BSD, Apache-2.0", "Yes"],
                ["Weak copyleft", "LGPL, MPL-2.0", "Yes, with review for modifications"],
                ["Strong copyleft", "GPL, AGPL", "Not in distributed or hosted products without approval"],
                ["No licence", "Code copied from the internet", "No"]])),
            P("Contributing", [
                "Engineers may contribute bug fixes to open source projects on work time.",
                "Larger contributions or new projects need approval from {cto} and legal.",
                "Use your work account and sign contributor agreements through legal.",
                "Never contribute code that contains customer data, secrets or internal hostnames."]),
        ],
        audience="dept", max_count=1, extra_groups=("eng",)),

    Topic(
        "legalhold", "Legal holds",
        ["Legal hold notice: {cust} dispute", "Litigation hold instructions", "Privileged: dispute summary ({cust})"],
        ["Privileged and confidential. Prepared at the direction of counsel.",
         "Do not forward. Questions go directly to {gc}."],
        [
            REQ(P("Background", [
                "{cust} has raised a claim for service level credits under its subscription agreement, citing outages in {prev_quarter}.",
                "The claimed amount is {cval}, which we consider unsupported by the contract.",
                "Outside counsel has been engaged and is reviewing the correspondence.",
                "We expect a response from the other side by {date_future:10-40}."])),
            B("Preservation instructions", [
                "Preserve all emails, {chat} messages and documents relating to {cust} from the start of the contract.",
                "Automatic deletion has been suspended for the mailboxes of the people listed in the hold.",
                "Do not discuss the dispute with the customer without counsel present.",
                "Confirm receipt of this notice within two working days."]),
            P("Assessment", [
                "Our current assessment is that the risk is low to moderate.",
                "Settlement options will be discussed at the next leadership meeting.",
                "No provision is required in the accounts at this time, per {cfo}."], k=(2, 3)),
        ],
        audience="restricted", max_count=2, prepare=_contract_prepare, users=("erin", "grace", "leo", "ivan"),
        extra_groups=("execs",), handbook=False),

    Topic(
        "contractsummary", "Contract summaries",
        ["Contract summary: {ctype} with {cust}", "Key terms: {cust} {ctype}", "Contract abstract - {cust}"],
        ["This summary captures the key commercial and legal terms. The signed contract in the contract repository prevails.",
         "Reviewed by {counsel}."],
        [
            REQ(B("Key terms", [
                "Agreement: {ctype}.",
                "Counterparty: {cust}.",
                "Total contract value: {cval} over {term}.",
                "Payment terms: {payment_terms}.",
                "Liability cap: 12 months of fees, with a super-cap of two times fees for data protection claims.",
                "Renewal: automatic for one-year periods unless terminated with 90 days' notice.",
                "Governing law: {pick:Delaware|England and Wales|the Netherlands|Ireland}."], k=(5, 7))),
            B("Non-standard terms", [
                "Service level credits of up to 15% of monthly fees.",
                "Customer may terminate for convenience after the first year with 60 days' notice.",
                "Data must be stored in {region_primary} only.",
                "Price increases capped at 5% per year.",
                "Right to an annual remote security audit.",
                "Named customer success manager included at no extra cost."], k=(2, 4)),
            P("Obligations to track", [
                "Customer success must send the annual service report by {date_future:30-120}.",
                "Security must answer the audit questionnaire within 30 days of request.",
                "Finance must apply the agreed price cap at renewal."], k=(2, 3)),
        ],
        audience="dept", max_count=8, weight=2.0, prepare=_contract_prepare, intro_k=(1, 2),
        extra_groups=("sales", "finance"), handbook=False),
]


# ---------------------------------------------------------------------------
# IT and security
# ---------------------------------------------------------------------------

IT_TOPICS = [
    Topic(
        "password", "Passwords",
        ["Password policy", "Password and authentication policy", "Password policy ({year} update)", "How to choose and store passwords"],
        ["This policy sets the minimum requirements for passwords and authentication at {company}.",
         "It follows current guidance: long passphrases and MFA instead of frequent forced changes.",
         "The policy applies to all accounts that access {company} systems, including contractors."],
        [
            REQ(B("Requirements", [
                "Passwords must be at least {pw_min} characters long; passphrases of four or more words are recommended.",
                "Do not reuse passwords between services or between work and personal accounts.",
                "Passwords are not rotated on a schedule; change yours immediately if you suspect it is compromised.",
                "Passwords are checked against a list of known breached passwords when you set them.",
                "MFA is mandatory for {idp} and every system connected to it.",
                "Shared accounts are only allowed when the system cannot support individual accounts, and the credentials live in {password_manager}."])),
            P("Password manager", [
                "Every employee gets a {password_manager} account with a personal and a shared vault.",
                "Use the generator for every new password.",
                "Never store work passwords in your browser or in documents.",
                "If you leave the company, your personal work vault is deleted; shared vaults are reassigned."]),
            P("Screen lock and devices", [
                "Laptops lock automatically after {lock_minutes} minutes of inactivity.",
                "Lock your screen whenever you step away, also in the office.",
                "Phones used for {chat} or email must have a passcode and biometric unlock."]),
            Q("FAQ", [
                ("I forgot my {idp} password. What now?", "Use the self-service reset on the login page. If you also lost your MFA device, contact {channel_it} and be ready to verify your identity on a video call."),
                ("Why don't we change passwords every 90 days?", "Forced rotation leads to weaker, predictable passwords. We rotate only when there is a reason."),
                ("Can I write my password down?", "Your {password_manager} master password may be written down and kept at home, never with your laptop.")]),
        ],
        audience="all", max_count=2),

    Topic(
        "vpn", "VPN",
        ["VPN setup guide", "How to connect to {vpn}", "Remote access: {vpn} troubleshooting", "VPN access policy"],
        ["{vpn} is our {vpn_tech}-based VPN. You need it for internal tools, staging environments and production consoles.",
         "Most SaaS tools (email, {chat}, {wiki}) do not require the VPN.",
         "This guide covers installation, daily use and common problems."],
        [
            REQ(S("Setup", [
                "Install the {vpn} client from the self-service app on your laptop (installed by {mdm}).",
                "Open the client and sign in with your {idp} account.",
                "Approve the MFA prompt ({mfa_method}).",
                "The client connects automatically when you open an internal address.",
                "Check the connection by opening the internal status page."])),
            B("Troubleshooting", [
                "If the client says your device is not compliant, install pending OS updates and restart.",
                "Hotel and conference networks sometimes block UDP; switch to the fallback TCP mode in settings.",
                "If internal hostnames do not resolve, disconnect and reconnect to refresh DNS settings.",
                "Slow connections are often caused by video calls over the VPN; split tunnelling is enabled for meeting tools.",
                "Still stuck? Post in {channel_it} with the client log attached."]),
            P("Access rules", [
                "Access to production networks is granted per role and reviewed every quarter.",
                "Connections from countries on the restricted travel list are blocked.",
                "Personal devices cannot connect to {vpn}.",
                "Sessions expire after 12 hours and require MFA again."]),
        ],
        audience="all", max_count=3),

    Topic(
        "laptop", "Laptop setup",
        ["Laptop setup guide", "Your new laptop: first-day setup", "Laptop standard configuration and refresh policy",
         "Device management and laptop policy"],
        ["New employees receive a {laptop}. This guide explains the first-day setup and the rules for company devices.",
         "Devices are managed with {mdm}; security settings are applied automatically.",
         "Laptops are refreshed every three years."],
        [
            REQ(S("First-day setup", [
                "Turn on the laptop and connect to Wi-Fi.",
                "Sign in with the temporary password from your welcome email; the device enrols in {mdm} automatically.",
                "Set a new password of at least {pw_min} characters.",
                "Set up MFA in {idp} with {mfa_method}.",
                "Wait for the standard apps to install: {chat}, {password_manager}, {vpn} and the browser.",
                "Enable disk encryption when prompted and restart.",
                "Post in {channel_it} if anything fails."])),
            B("Rules for company devices", [
                "Install software only from the self-service catalogue, or request it in {channel_it}.",
                "Keep the operating system updated; updates older than {patch_days} days block VPN access.",
                "Do not disable the endpoint protection agent.",
                "Family members may not use the laptop.",
                "Report lost or stolen devices within one hour."]),
            P("Refresh and returns", [
                "Laptops are refreshed after three years; IT contacts you a month before.",
                "Old devices are wiped and either reused as loaners or recycled.",
                "Leavers return their laptop on the last day; a prepaid box is sent to remote employees.",
                "Peripherals under {money:100-200/10} do not need to be returned."]),
        ],
        audience="all", max_count=3),

    Topic(
        "mfa", "Multi-factor authentication",
        ["Multi-factor authentication (MFA) guide", "Setting up MFA and security keys", "MFA enforcement rollout"],
        ["MFA is mandatory for every {company} account. This guide explains the supported methods and what to do if you lose a device.",
         "We are moving everyone to phishing-resistant methods."],
        [
            REQ(P("Supported methods", [
                "The supported methods are {mfa_method}.",
                "SMS codes are disabled because they can be intercepted.",
                "Engineers with production access must use a FIDO2 security key; IT issues two keys per person.",
                "Keep your backup key somewhere safe at home."])),
            S("Lost phone or key", [
                "Report it in {channel_it} immediately.",
                "IT verifies your identity on a video call with your manager present.",
                "IT resets your MFA and issues a temporary access code valid for one hour.",
                "Enrol your new device or backup key right away."]),
            P("Rollout", [
                "Phishing-resistant MFA becomes mandatory for all employees on {date_future:20-90}.",
                "Security keys are available from the IT desk in every office.",
                "Progress is reported weekly; {pct:60-95} of employees have already enrolled."]),
        ],
        audience="all", max_count=2),

    Topic(
        "aup", "Acceptable use",
        ["Acceptable use policy", "IT acceptable use policy", "Using company systems: acceptable use"],
        ["This policy describes how company systems, accounts and data may be used.",
         "It applies to employees, contractors and anyone else who has an account on {company} systems."],
        [
            REQ(B("You must", [
                "Use company systems mainly for business purposes; limited personal use is fine.",
                "Store work data only in approved systems.",
                "Report suspected security incidents immediately in {channel_sec}.",
                "Complete security awareness training every year.",
                "Lock your screen when you leave your device."])),
            B("You must not", [
                "Share your account or MFA device with anyone.",
                "Upload customer data or source code to unapproved AI tools or file-sharing sites.",
                "Install pirated or unlicensed software.",
                "Try to access systems or data you are not authorised to use.",
                "Forward company email to personal accounts."]),
            P("Monitoring", [
                "{company} monitors its systems for security purposes in line with local law.",
                "Monitoring is not used to assess individual productivity.",
                "Access to monitoring data is restricted to the security team and logged."]),
        ],
        audience="all", max_count=1),

    Topic(
        "phishing", "Phishing",
        ["How to spot and report phishing", "Phishing simulation results {quarter}", "Security awareness: phishing and social engineering"],
        ["Phishing is still the most common way attackers get into companies. This page explains what to look for and how to report it.",
         "Reporting a suspicious email takes ten seconds and helps protect everyone."],
        [
            REQ(B("Warning signs", [
                "Urgency: the message asks you to act immediately or something bad will happen.",
                "A sender address that is slightly different from the real one.",
                "Requests to change bank details, buy gift cards or share MFA codes.",
                "Links whose address does not match the text.",
                "Unexpected attachments, especially archives or documents asking you to enable macros.",
                "A login page that appears after clicking a link in an email."])),
            S("Reporting", [
                "Use the Report phishing button in your email client.",
                "If you clicked a link or entered your password, also post in {channel_sec} right away.",
                "Do not forward the email to colleagues to ask if it is real.",
                "The security team replies within one working hour."]),
            P("Simulation results", [
                "In the last simulation, {pct:4-12} of recipients clicked the link and {pct:45-80} reported the email.",
                "The reporting rate has improved every quarter since we introduced the report button.",
                "People who click receive a short training module; nobody is named or shamed."]),
        ],
        audience="all", max_count=2),

    Topic(
        "access", "Access requests",
        ["Access request process", "How to request access to systems", "Quarterly access review procedure", "Privileged access management"],
        ["Access to systems is granted on a least-privilege basis and reviewed every quarter.",
         "All access requests go through the IT service desk so that we have an audit trail."],
        [
            REQ(S("Requesting access", [
                "Open a request in the service desk and choose the system and role.",
                "Explain why you need the access and for how long.",
                "Your manager approves the request; the system owner approves access to sensitive systems.",
                "IT provisions the access through {idp} groups, usually within one working day.",
                "Temporary access expires automatically at the end date."])),
            P("Access reviews", [
                "Every quarter, system owners review who has access and remove anything no longer needed.",
                "Reviews are completed within two weeks; overdue reviews are escalated to {ciso}.",
                "Access of people who changed teams is reviewed within 30 days of the move.",
                "Findings are reported to the audit committee once a year."]),
            P("Privileged access", [
                "Production and administrator access uses just-in-time elevation with a maximum of eight hours.",
                "All privileged sessions are logged and reviewed by the security team.",
                "Break-glass accounts are stored in {password_manager} and their use triggers an alert."]),
        ],
        audience="dept", max_count=2, extra_groups=("eng",)),

    Topic(
        "lostdevice", "Lost devices",
        ["Lost or stolen device procedure", "What to do if your laptop or phone is lost", "Device loss: IT response runbook"],
        ["If a device with access to {company} data is lost or stolen, report it immediately. Speed matters more than anything else.",
         "You will not get into trouble for reporting a lost device."],
        [
            REQ(S("Steps for employees", [
                "Post in {channel_it} or call the IT emergency line listed in the service desk.",
                "Tell IT when and where you last had the device.",
                "Report theft to the local police and share the report number with IT.",
                "Change your {idp} password from another device."])),
            S("Steps for IT", [
                "Lock the device in {mdm} and send a remote wipe command.",
                "Revoke active sessions in {idp}.",
                "Check whether the device was encrypted and compliant at last check-in.",
                "Open a security ticket if sensitive data may be exposed.",
                "Issue a loaner device."]),
        ],
        audience="all", max_count=2),

    Topic(
        "secincident", "Security incident response",
        ["Security incident response plan", "Security incident response: roles and steps", "Security incident runbook: suspected account compromise"],
        ["This plan defines how we respond to security incidents such as account compromise, malware or data exposure.",
         "The security team leads the response; legal and communications join for incidents involving personal data."],
        [
            REQ(S("Response phases", [
                "Identify: confirm the incident and assign a severity.",
                "Contain: isolate affected accounts and devices.",
                "Eradicate: remove the attacker's access and fix the weakness.",
                "Recover: restore services and monitor for recurrence.",
                "Review: write a report and track improvements."])),
            P("Personal data breaches", [
                "If personal data may be affected, {gc} must be informed immediately.",
                "Regulators must be notified within 72 hours of becoming aware of a reportable breach.",
                "Customers are notified according to their contracts, usually within 48 hours.",
                "All decisions about notification are documented."]),
            B("Contacts", [
                "Security on-call via {pager}.",
                "CISO: {ciso}.",
                "General counsel: {gc}.",
                "Incident channel: {channel_sec}."]),
        ],
        audience="dept", max_count=2, extra_groups=("eng", "execs")),

    Topic(
        "changenotes", "Change notices",
        ["IT change notice: {pick:Wi-Fi upgrade|email migration|printer replacement|VPN client update|SSO migration} ({iso_date})",
         "Planned maintenance: {pick:{idp} upgrade|{mdm} policy change|office network work in {office}}",
         "Service desk monthly report ({month} {year})"],
        ["This notice informs staff about a planned IT change.",
         "Questions go to {channel_it}."],
        [
            REQ(P("What is changing", [
                "On {date_future:3-14} from 18:00 to 21:00 local time, IT will carry out planned work.",
                "Some services may be unavailable for up to 30 minutes during the window.",
                "No action is required from most employees.",
                "Laptops will receive a configuration update and may ask for a restart.",
                "The change affects the {office} office only."], k=(3, 5))),
            P("Service desk statistics", [
                "Last month the service desk handled {n:180-540} tickets, with a median first response of {n:8-40} minutes.",
                "The most common categories were access requests, laptop issues and {vpn} problems.",
                "Customer satisfaction was {pick:4.5|4.6|4.7|4.8} out of 5."], k=(2, 3)),
        ],
        audience="all", max_count=4, weight=1.0, handbook=False),
]


# ---------------------------------------------------------------------------
# Product
# ---------------------------------------------------------------------------

FEATURES = {
    "acme": [
        ("Bulk invoice export", "Finance teams export invoices one by one, which takes hours at month end."),
        ("SCIM user provisioning", "Enterprise customers need users to be created and removed automatically from their identity provider."),
        ("Usage alerts for billing", "Customers are surprised by overage charges because they cannot see usage approaching their limit."),
        ("Audit log API", "Security teams want to pull audit events into their SIEM instead of downloading CSV files."),
        ("Approval workflows for payments", "Customers want payments above a threshold to require a second approval inside {product_main}."),
        ("Saved report views", "Users rebuild the same report filters every week."),
        ("Multi-entity consolidation", "Customers with several legal entities consolidate results in spreadsheets."),
        ("EU data residency", "Customers in the EU require that their data is stored and processed in the EU."),
        ("Mobile receipt capture", "Field staff want to photograph receipts and attach them to transactions on the go."),
        ("Role-based dashboards", "Executives and accountants see the same dashboard, which serves neither well."),
    ],
    "globex": [
        ("Geofence alerts v2", "Dispatchers miss geofence events because alerts arrive late and cannot be filtered."),
        ("Driver hours compliance report", "Fleet managers need evidence of driving-time compliance for audits."),
        ("Route optimisation with time windows", "Deliveries with strict time windows are planned manually."),
        ("Predictive maintenance scheduling", "Vehicles break down between fixed service intervals."),
        ("Telematics API webhooks", "Integrators poll the API every minute, which is slow and costly."),
        ("Offline mode for the driver app", "Drivers lose connectivity in rural areas and cannot complete proof of delivery."),
        ("Fuel card reconciliation", "Customers reconcile fuel card transactions with trips by hand."),
        ("EV charging planning", "Electric vans run low on charge because routes ignore charging stops."),
    ],
}


def _spec_prepare(ctx):
    rng = ctx.rng
    feat = rng.choice(FEATURES[ctx.prof["tenant"]])
    ctx.set(feature=feat[0], pm=ctx.person(), em=ctx.person(), designer=ctx.person(),
            spec_status=rng.choice(["Draft", "In review", "Approved", "In development", "Shipped"]))
    ctx.data["feature"] = feat


def _spec_problem(ctx):
    feat = ctx.data["feature"]
    extra = ctx.rng.sample([
        "The request appears in {n:12-80} customer conversations logged in {crm} over the last two quarters.",
        "It came up in {n:3-9} lost deals as a missing capability.",
        "Support receives about {n:10-60} tickets a month related to this workflow.",
        "Several large customers have built their own workarounds with scripts.",
        "Competitors, including {competitor}, have shipped a basic version."], 2)
    return "## Problem\n\n" + " ".join(ctx.fill(x) for x in [feat[1]] + extra)


SPEC = Topic(
    "spec", "Product specs",
    ["Product spec: {feature}", "PRD: {feature}", "{feature} - product requirements", "Spec: {feature} (v{n:1-3})"],
    ["Product manager: {pm}. Engineering manager: {em}. Design: {designer}. Status: {spec_status}.",
     "This spec describes the problem, the proposed solution and how we will measure success.",
     "Feedback is welcome in the comments until {date_future:5-15}."],
    [REQ(F(_spec_problem)),
     B("Goals", ["Reduce the time customers spend on this workflow by at least {pct:30-60}.",
                 "Make the feature available on the {tier2} and {tier3} plans.",
                 "Reach {pct:20-40} adoption among eligible accounts within three months.",
                 "Reduce related support tickets by half.",
                 "Remove the need for custom scripts at large customers."], k=(2, 4)),
     B("Non-goals", ["Support for the legacy API version.", "A mobile version in the first release.",
                     "Custom configuration per user; configuration is per workspace.",
                     "Migration of historical data older than 24 months."], k=(1, 3)),
     P("Proposed solution", [
         "Users configure the feature from the settings page; sensible defaults make it useful without configuration.",
         "The first release covers the most common case identified in customer interviews.",
         "Events are exposed in the audit log and through the public API.",
         "Admins can turn the feature off for their workspace.",
         "Processing happens asynchronously, and users are notified when results are ready.",
         "The design follows the existing patterns in {product_main} so that users do not need training."], k=(3, 5)),
     B("User stories", ["As an admin, I want to enable the feature for my workspace so that my team can use it.",
                        "As a manager, I want to see a summary every week so that I can spot problems early.",
                        "As an integrator, I want an API endpoint so that I can connect our internal tools.",
                        "As an auditor, I want an export of all changes so that I can verify compliance.",
                        "As a new user, I want guidance in the product so that I do not need to read documentation."], k=(3, 4)),
     P("Design notes", [
         "Design explored three options in low-fidelity mockups and tested them with {n:5-9} customers.",
         "The chosen option keeps the feature inside the existing navigation instead of adding a new top-level page.",
         "Empty states explain what the feature does and link to the help centre.",
         "Error messages tell the user what to do next, not just what went wrong.",
         "The feature meets WCAG 2.1 AA, including keyboard navigation and screen reader labels.",
         "Mobile layouts are considered but ship in a later release."], k=(3, 5)),
     P("Technical approach", [
         "Engineering proposes building on the existing job framework so that long-running work does not block requests.",
         "Data is stored per workspace and respects existing permissions.",
         "The public API exposes the feature under a new versioned endpoint.",
         "Rate limits protect shared infrastructure; initial limits are conservative and can be raised per customer.",
         "The estimate is {n:4-12} engineer-weeks including testing and documentation."], k=(3, 4)),
     P("Launch plan", [
         "The feature launches as a beta for selected customers, followed by general availability.",
         "Customer success will brief their accounts one week before general availability.",
         "Marketing plans a short announcement in the product newsletter.",
         "Sales receives an enablement session and an updated demo script.",
         "Support receives internal documentation and macros before the beta starts."], k=(3, 4)),
     B("Success metrics", ["Weekly active workspaces using the feature.", "Time to complete the workflow, measured in product analytics.",
                           "Related support tickets per 1,000 accounts.", "Net revenue influenced in {crm}."], k=(2, 3)),
     B("Open questions", ["Should the feature be included in {tier2} or sold as an add-on?",
                          "What are the rate limits for the API?", "Do we need a migration path for customers using the workaround?",
                          "How do we handle customers with more than 10,000 records?"], k=(2, 3)),
     B("Milestones", ["Design review: {date_future:5-20}.", "Beta with {n:5-15} customers: {date_future:30-60}.",
                      "General availability: {date_future:70-120}."], k=(2, 3))],
    audience="dept", max_count=14, weight=3.0, prepare=_spec_prepare, intro_k=(1, 2),
    extra_groups=("sales",), handbook=False)


def _rel_prepare(ctx):
    ctx.set(version=_gen_version(ctx, None), rel_product=ctx.rng.choice(ctx.prof["products"]))


RELEASE = Topic(
    "release", "Release notes",
    ["Release notes: {rel_product} {version}", "{rel_product} {version} - internal release summary", "What's new in {rel_product} ({month} {year})"],
    ["This summary is for customer-facing teams. Public release notes are published on the help centre.",
     "Released on {date}. Questions go to the product team."],
    [REQ(B("New", ["Filters can now be saved and shared with the team.", "Admins can export the audit log as CSV.",
                   "The API supports cursor-based pagination on all list endpoints.",
                   "New onboarding checklist for first-time admins.", "Dark mode for the web app.",
                   "Bulk edit for up to 500 records at once.", "Webhooks are retried with exponential backoff for 24 hours."], k=(2, 4))),
     B("Improved", ["Dashboard loading time reduced by about {pct:20-50}.", "Clearer error messages when an import fails.",
                    "Search now matches partial words.", "Email notifications are grouped into a daily digest.",
                    "Accessibility improvements to the navigation menu."], k=(2, 3)),
     B("Fixed", ["Exports could time out for very large workspaces.", "Time zones were shown incorrectly in some reports.",
                 "SSO users were occasionally logged out after 30 minutes.", "Duplicate notifications for the same event."], k=(1, 3)),
     P("Notes for customer-facing teams", ["No action is required from customers.",
                                           "The new features are enabled for all plans except {tier1}.",
                                           "A short demo video is available in the enablement folder.",
                                           "Known issue: the new filters are not yet available in the mobile app."], k=(1, 3))],
    audience="all", max_count=6, weight=1.5, prepare=_rel_prepare, intro_k=(1, 2), handbook=False)


FEEDBACK = Topic(
    "feedback", "Customer feedback",
    ["Customer feedback synthesis: {quarter}", "Voice of the customer: themes from {month}", "Customer interview notes: {customer}"],
    ["This synthesis summarises feedback from support tickets, interviews and sales calls.",
     "Raw notes are in the research repository; quotes are paraphrased."],
    [REQ(B("Top themes", ["Reporting is powerful but hard to configure.", "Customers want more control over notifications.",
                          "Integration setup takes too long without help from support.", "Performance in large workspaces is a concern.",
                          "The mobile app is missing key workflows.", "Permissions are too coarse for larger teams."], k=(3, 5))),
     P("Details", ["{n:8-25} interviews were conducted, mostly with admins at mid-market customers.",
                   "One customer said they spend half a day each month rebuilding the same report.",
                   "Several customers compared our onboarding favourably with {competitor}.",
                   "Enterprise customers repeatedly asked for more granular roles.",
                   "Feedback on the latest release was mostly positive."], k=(3, 4)),
     B("Recommendations", ["Prioritise saved report views for {next_quarter}.",
                           "Add an integration setup wizard.", "Run a performance sprint focused on large workspaces.",
                           "Share this synthesis with sales and customer success."], k=(2, 3))],
    audience="dept", max_count=4, weight=1.0, intro_k=(1, 2), extra_groups=("sales",), handbook=False)

PROD_TOPICS = [SPEC, RELEASE, FEEDBACK]


# ---------------------------------------------------------------------------
# Demo documents (fixed text; referenced by the README and by demos)
# ---------------------------------------------------------------------------

DEMO_PARENTAL = """Owner: Sofia Marchetti (People Operations) | Last reviewed: February 27, 2026 | Status: Approved

Acme offers paid parental leave to every employee who becomes a parent, regardless of gender, marital status or how the child joins the family. This policy covers birth, adoption, foster placement and surrogacy, and it replaces the maternity and paternity policies that existed before 2025.

We want new parents to be able to focus on their family without worrying about their pay or their job. Managers are expected to plan cover early so that nobody feels pressure to shorten their leave.

## How much leave you get

- 16 weeks of parental leave at 100% of base salary for every eligible parent.
- Birthing parents can take up to 2 additional weeks of paid leave before the expected due date.
- The leave can be taken in one continuous block or in up to two blocks, as long as all of it is taken within 12 months of the birth or placement.
- Statutory parental pay (where it exists in your country) is included in, not added on top of, the 16 weeks.
- After returning, parents can work a reduced schedule of 80% of their normal hours at full pay for four weeks (phased return).

## Eligibility

All permanent employees are eligible once they have completed 90 days of continuous employment at Acme, which is the same as the end of the probation period. Employees who have not yet reached 90 days receive the statutory minimum for their country, and the remaining weeks become available once they pass the 90-day mark, as long as the child arrived within the previous 12 months.

Part-time employees receive the same 16 weeks, paid pro rata to their contracted hours. If both parents work at Acme, each parent is entitled to their own 16 weeks and they may take leave at the same time.

## How to apply

1. Tell your manager and People Operations as soon as you feel comfortable, and at least 8 weeks before you want the leave to start.
2. Submit a request in PeopleHub under Time Off > Parental leave, with the expected due date or placement date.
3. People Operations confirms your dates and pay in writing within five working days and sends you a personalised leave plan.
4. Agree a handover plan with your manager at least two weeks before the leave starts, including who covers your on-call shifts and customer commitments.
5. If the baby arrives early or the placement date moves, update the request in PeopleHub; the start date can be changed without penalty.

## During your leave

Your health insurance, 401(k) contributions and annual leave accrual continue as normal throughout parental leave. You can use up to ten optional keeping-in-touch days, paid at your normal rate, for example to attend a planning week; nobody should contact you about work unless you have asked them to.

## Returning to work

Your role, level and salary are protected while you are on leave, and any company-wide salary review that happens during your leave applies to you. Book a return conversation with your manager in the week before you come back. Nursing rooms are available in the Denver, Austin, Dublin and Toronto offices.

## Questions

Contact the People Operations team through a confidential case in PeopleHub. Managers with questions about cover or budgets can ask their HR business partner. This policy is restricted to HR and the executive team while the 2026 revision is being finalised; employees receive the summary version during onboarding."""

DEMO_FAILOVER = """Service: ledger-db (PostgreSQL 15) | Owner: Data Infrastructure team | On-call: PagerDuty schedule "database-primary" | Last drill: April 21, 2026

This runbook explains how to promote a PostgreSQL replica to primary for the ledger-db cluster, which stores all ledger and billing data for Acme Ledger. Use it when the primary is down or must be taken out of service. Read it end to end before starting, and always work with a second engineer on the call.

## Topology

- pg-ledger-01 (us-east-1a): primary.
- pg-ledger-02 (us-east-1b): synchronous replica, the default failover target.
- pg-ledger-03 (us-west-2): asynchronous replica for disaster recovery; only promote it if the whole of us-east-1 is unavailable.
- Applications connect through PgBouncer using the DNS name ledger-db-primary.internal.acme.example (TTL 30 seconds).

Our targets are a recovery time objective (RTO) of 15 minutes and a recovery point objective (RPO) of zero when failing over to the synchronous replica.

## When to fail over

Fail over when the primary has been unreachable for more than two minutes and the host or instance cannot be recovered quickly, when the primary's storage is corrupted, or for planned maintenance that requires a restart of the primary. Do not fail over because of slow queries or high CPU alone; see the database performance runbook for those cases.

## Procedure

1. Declare an incident in #incidents (type `/incident declare`) and page the database on-call through PagerDuty if you are not them.
2. Confirm the primary is really unavailable: run `pg_isready -h pg-ledger-01 -p 5432` from a bastion host and check the instance status in the AWS console and the Grafana dashboard "ledger-db overview".
3. Check the replica state on pg-ledger-02 with `SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), now() - pg_last_xact_replay_timestamp() AS replay_delay;`. The receive and replay LSNs should be equal, and the delay should be only seconds.
4. Fence the old primary so that it cannot accept writes if it comes back: stop PostgreSQL on pg-ledger-01 (`sudo systemctl stop postgresql@15-main`) or, if the host is unreachable, detach it from the ledger-db security group.
5. Promote the replica on pg-ledger-02 with `SELECT pg_promote(wait => true, wait_seconds => 60);` (alternatively `sudo -u postgres pg_ctlcluster 15 main promote`).
6. Verify the promotion: `SELECT pg_is_in_recovery();` must return false, and a test write to the `healthcheck` table must succeed.
7. Point traffic at the new primary: update the Route 53 record ledger-db-primary.internal.acme.example to pg-ledger-02, then run `RELOAD;` on the PgBouncer admin console so that existing pools reconnect.
8. Reconfigure pg-ledger-03 to follow the new primary by updating `primary_conninfo` and restarting it, and confirm it appears in `pg_stat_replication` on pg-ledger-02.
9. Because there is now no synchronous replica, set `synchronous_standby_names = ''` temporarily so that writes are not blocked, and note this in the incident channel.
10. Announce in #incidents that the failover is complete, including the time of promotion and any error window observed in billing-api and ledger-writer.

## Verification

- Error rates for billing-api and ledger-writer are back to baseline in Grafana.
- No application logs in Loki contain "cannot execute INSERT in a read-only transaction".
- Replication lag from pg-ledger-03 is below 10 seconds.
- A WAL-G backup has started from the new primary; trigger one manually if the next scheduled backup is more than an hour away.

## After the incident

Rebuild the old primary as a replica with `pg_rewind` (or from a fresh base backup if pg_rewind fails), then restore `synchronous_standby_names` so that the cluster is back to one synchronous and one asynchronous replica. Do not switch back to pg-ledger-01 during business hours; schedule a planned switchover instead. Write a postmortem for any unplanned failover and record the time taken from declaration to step 10, so that we can track it against the 15-minute RTO. The last failover drill took 11 minutes."""

DEMO_DOCS = [
    {"id": "acme-eng-0001", "title": "Database failover runbook", "body": DEMO_FAILOVER,
     "acl": ["group:eng"], "tenant": "acme", "updated_at": "2026-05-19T14:05:27Z"},
    {"id": "acme-hr-0001", "title": "Parental leave policy", "body": DEMO_PARENTAL,
     "acl": ["group:hr", "group:execs"], "tenant": "acme", "updated_at": "2026-03-02T09:30:00Z"},
]


# ---------------------------------------------------------------------------
# Corpus layout
# ---------------------------------------------------------------------------

# (dept code, label, owning group, number of generated docs, topic list, agenda key)
LAYOUT = {
    "acme": [
        ("hr", "HR", "hr", 31, HR_TOPICS + [HIRING, ER_CASE, MEETING], "hr"),
        ("eng", "Engineering", "eng", 47, ENG_TOPICS + [POSTMORTEM, RFC, MEETING], "eng"),
        ("sales", "Sales", "sales", 30, SALES_TOPICS + [MEETING], "sales"),
        ("fin", "Finance", "finance", 28, FIN_TOPICS + [MEETING], "fin"),
        ("legal", "Legal", "legal", 20, LEGAL_TOPICS + [MEETING], "legal"),
        ("it", "IT", "it", 26, IT_TOPICS + [MEETING], "it"),
        ("prod", "Product", "eng", 32, PROD_TOPICS + [MEETING], "prod"),
    ],
    "globex": [
        ("people", "People", "people", 24, HR_TOPICS + [HIRING, ER_CASE, MEETING], "hr"),
        ("eng", "Engineering", "eng", 34, ENG_TOPICS + [POSTMORTEM, RFC, MEETING], "eng"),
        ("ops", "Operations", "ops", 26, IT_TOPICS + [POSTMORTEM, MEETING], "it"),
        ("fin", "Finance", "finance", 18, FIN_TOPICS + [MEETING], "fin"),
        ("sales", "Sales", "sales", 22, SALES_TOPICS + [MEETING], "sales"),
        ("prod", "Product", "eng", 14, PROD_TOPICS + [MEETING], "prod"),
        ("legal", "Legal", "leadership", 6, LEGAL_TOPICS, "legal"),
    ],
}


def words(text):
    return len(text.split())


def pick_target(rng):
    r = rng.random()
    if r < 0.07:
        return rng.randint(80, 180)
    if r < 0.75:
        return rng.randint(200, 600)
    if r < 0.92:
        return rng.randint(600, 900)
    return rng.randint(900, 1200)


def random_updated(rng):
    span = int((DATE_END - DATE_START).total_seconds())
    t = DATE_START + dt.timedelta(seconds=rng.randint(0, span))
    # Most edits happen on weekdays during working hours.
    if t.weekday() >= 5 and rng.random() < 0.85:
        t -= dt.timedelta(days=t.weekday() - 4)
    if rng.random() < 0.85:
        t = t.replace(hour=rng.randint(7, 18))
    if t > DATE_END:
        t = DATE_END
    return t


def schedule_topics(rng, topics, n, tenant):
    topics = [t for t in topics if t.tenants is None or tenant in t.tenants]
    first = topics[:]
    rng.shuffle(first)
    sched = first[:n]
    counts = {}
    for t in sched:
        counts[t.key] = counts.get(t.key, 0) + 1
    while len(sched) < n:
        avail = [t for t in topics if counts.get(t.key, 0) < t.max_count] or topics
        total = sum(t.weight for t in avail)
        x = rng.random() * total
        for t in avail:
            x -= t.weight
            if x <= 0:
                break
        sched.append(t)
        counts[t.key] = counts.get(t.key, 0) + 1
    rng.shuffle(sched)
    return sched


def group_alias(tenant, name):
    d = TENANT_DIRECTORY[tenant]
    groups = d["groups"]
    alias = {"execs": d["senior_group"], "leadership": d["senior_group"],
             "hr": "hr" if "hr" in groups else "people",
             "people": "people" if "people" in groups else "hr",
             "it": "it" if "it" in groups else "ops",
             "ops": "ops" if "ops" in groups else "it",
             "legal": "legal" if "legal" in groups else d["senior_group"]}
    g = alias.get(name, name)
    return g if g in groups else None


def users_in(tenant, group):
    return [u for u, g in TENANT_DIRECTORY[tenant]["users"].items() if g == group]


def make_acl(rng, tenant, dept_group, topic, ctx):
    d = TENANT_DIRECTORY[tenant]
    senior = d["senior_group"]
    all_users = sorted(d["users"])
    dept_users = users_in(tenant, dept_group)
    acl = []

    hint = ctx.data.get("acl_hint")
    if hint:  # hiring briefs: HR plus the hiring department
        hg = group_alias(tenant, hint)
        hint_users = users_in(tenant, hg) if hg else []
        acl = ["group:" + dept_group]
        if hg and hg != dept_group:
            if hint_users and rng.random() < 0.6:
                acl.append("user:" + rng.choice(hint_users))
            elif rng.random() < 0.5:
                acl.append("group:" + senior)
        return acl

    if topic.audience == "all":
        acl = ["group:all-staff"]
    elif topic.audience == "dept":
        acl = ["group:" + dept_group]
        r = rng.random()
        extras = [g for g in (group_alias(tenant, x) for x in topic.extra_groups) if g and g != dept_group]
        if r < 0.16 and dept_group != senior:
            acl.append("group:" + senior)
        elif r < 0.30 and extras:
            acl.append("group:" + rng.choice(extras))
        elif r < 0.37:
            others = [u for u in all_users if d["users"][u] != dept_group]
            acl.append("user:" + rng.choice(others))
        elif r < 0.43 and dept_users:
            acl = ["user:" + u for u in sorted(rng.sample(dept_users, 1))]
            senior_users = users_in(tenant, senior)
            if senior_users and rng.random() < 0.5:
                acl.append("user:" + rng.choice(senior_users))
    else:  # restricted
        cands = [u for u in topic.users if u in d["users"]] or dept_users or all_users
        r = rng.random()
        if r < 0.45:
            acl = ["user:" + u for u in sorted(rng.sample(cands, min(len(cands), rng.randint(1, 2))))]
        elif r < 0.75:
            acl = ["group:" + dept_group]
            if dept_group != senior:
                acl.append("group:" + senior)
        else:
            acl = ["group:" + dept_group, "user:" + rng.choice(cands)]
    out = []
    for a in acl:
        if a not in out:
            out.append(a)
    return out


def demote(block):
    return "\n".join(("#" + line) if line.startswith("## ") else line for line in block.split("\n"))


def render_topic(ctx, topic, target, include_intro=True):
    """Render intro + sections of a topic, choosing optional sections to approach target words."""
    rng = ctx.rng
    intro = ""
    if include_intro and topic.intro:
        k = rng.randint(*topic.intro_k)
        if k > 0:
            intro = " ".join(ctx.fill(s) for s in _pick_ordered(rng, topic.intro, k))
    rendered = []
    for i, sec in enumerate(topic.sections):
        text = sec(ctx)
        if text.strip():
            rendered.append((i, text, getattr(sec, "required", False)))
    chosen = [r for r in rendered if r[2]]
    total = words(intro) + sum(words(r[1]) for r in chosen)
    optional = [r for r in rendered if not r[2]]
    rng.shuffle(optional)
    for r in optional:
        if total >= target:
            break
        w = words(r[1])
        if total + w > MAX_WORDS - 60:
            continue
        chosen.append(r)
        total += w
    chosen.sort(key=lambda r: r[0])
    blocks = ([intro] if intro else []) + [r[1] for r in chosen]
    return blocks, total


PII_TEMPLATES = [
    "For questions about this document, contact {pii_name} at {pii_email}.",
    "Contact: {pii_name} ({pii_email}, {pii_phone}).",
    "Outside office hours the duty coordinator can be reached on {pii_phone}.",
    "Requests related to this page can also be emailed to {pii_email} ({pii_name}).",
    "Escalations: call {pii_name} on {pii_phone} or email {pii_email}.",
]


def pii_line(ctx):
    rng = ctx.rng
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = "%s.%s" % (first.lower(), last.lower().replace(" ", ""))
    if ctx.prof["tenant"] == "acme":
        phone = "+1 303-555-01%02d" % rng.randint(0, 99)
    else:
        phone = "+31 10 555 01%02d" % rng.randint(0, 99)
    ctx.set(pii_name="%s %s" % (first, last), pii_email="%s@%s" % (local, ctx.prof["domain"]), pii_phone=phone)
    return ctx.fill(rng.choice(PII_TEMPLATES))


def build_document(rng, tenant, dept, label, dept_group, topic, all_topics, seen_titles, dept_titles, handbooks,
                   with_pii=False):
    prof = PROFILES[tenant]
    updated = random_updated(rng)
    ctx = Ctx(rng, prof, updated, dept)
    ctx.set(dept_label=label, owner=ctx.person())
    ctx.data["related_titles"] = list(dept_titles)
    target = pick_target(rng)
    ctx.data["long"] = target > 600
    if topic.prepare:
        topic.prepare(ctx)

    title = None
    for _ in range(6):
        cand = ctx.fill(rng.choice(topic.titles))
        if cand not in seen_titles:
            title = cand
            break
    if title is None:
        title = "%s (%s)" % (cand, rng.choice(prof["offices"]) + " edition")
        n = 2
        while title in seen_titles:
            title = "%s (rev. %d)" % (cand, n)
            n += 1

    blocks, total = render_topic(ctx, topic, target)

    # Long target but a short topic: turn it into a handbook chapter.
    # At most three handbook chapters per department, never with the same set of topics.
    if (topic.handbook and target > 600 and total < 0.85 * target and len(handbooks) < 3
            and not any(topic.key in hb for hb in handbooks)):
        mates = [t for t in all_topics if t.handbook and t is not topic and t.audience == topic.audience
                 and (t.tenants is None or tenant in t.tenants)
                 and not any(t.key in hb for hb in handbooks)]
        if mates:
            want = max(1, min(3, (target - total) // 300 + 1))
            extra = rng.sample(mates, min(len(mates), want))
            parts = [topic] + extra
            handbooks.append({t.key for t in parts})
            labels = [t.label for t in parts]
            title = "%s handbook: %s" % (label, ", ".join(labels[:-1]) + " and " + labels[-1])
            if title in seen_titles:
                title += " (%s)" % prof["hq"]
            blocks = [ctx.fill("This chapter of the {company} %s handbook collects the guidance on %s in one place. "
                               "Each section is also maintained as a separate page in {wiki}." % (
                                   label, ", ".join(l.lower() for l in labels[:-1]) + " and " + labels[-1].lower()))]
            budget = target // len(parts) + 60
            for t in parts:
                sub, _ = render_topic(ctx, t, budget)
                blocks.append("## " + t.label)
                blocks.extend(demote(b) for b in sub)
            total = sum(words(b) for b in blocks)
            while total > MAX_WORDS and len(blocks) > 4:
                blocks.pop()
                total = sum(words(b) for b in blocks)
            if blocks[-1].startswith("## "):
                blocks.pop()

    # Metadata header on many policy-style documents.
    if topic.prepare is None and rng.random() < 0.4:
        status = rng.choice(["Approved", "Approved", "Approved", "Draft", "Under review"])
        blocks.insert(0, "Owner: %s | Last reviewed: %s | Status: %s" % (ctx.fixed["owner"], fmt_date(updated), status))

    # Pad with generic trailing sections if still well short of the target.
    total = sum(words(b) for b in blocks)
    tails = GENERIC_TAIL[:]
    if topic.prepare is not None or not topic.handbook:
        tails = [t for t in tails if t is not _revision_history]
    rng.shuffle(tails)
    for tail in tails:
        if total >= target * 0.8:
            break
        t = tail(ctx)
        if t and total + words(t) <= MAX_WORDS:
            blocks.append(t)
            total += words(t)

    # A small share of documents contain fake contact details (for PII redaction demos).
    if with_pii:
        line = pii_line(ctx)
        if rng.random() < 0.6:
            blocks.append(line)
        else:
            blocks.insert(min(2, len(blocks)), line)

    body = "\n\n".join(b.strip() for b in blocks if b.strip())
    acl = make_acl(rng, tenant, dept_group, topic, ctx)
    return {
        "title": title,
        "body": body,
        "acl": acl,
        "updated_at": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


PII_SHARE = 0.05


def generate():
    rng = random.Random(SEED)
    # Which generated documents get fake contact details is drawn from a separate
    # stream so that PII_SHARE of each tenant's documents are affected.
    pii_rng = random.Random(SEED + 1)
    pii_slots = set()
    offset = 0
    for tenant in ("acme", "globex"):
        n_t = sum(layout[3] for layout in LAYOUT[tenant])
        pii_slots.update(offset + i for i in pii_rng.sample(range(n_t), round(PII_SHARE * n_t)))
        offset += n_t
    slot = 0
    docs = []
    demo_by_id = {d["id"]: d for d in DEMO_DOCS}
    for tenant in ("acme", "globex"):
        seen_titles = {d["title"] for d in DEMO_DOCS if d["tenant"] == tenant}
        for dept, label, group, count, topics, agenda_key in LAYOUT[tenant]:
            number = 0
            dept_titles = []
            handbooks = []
            demo_id = "%s-%s-0001" % (tenant, dept)
            if demo_id in demo_by_id:
                docs.append(dict(demo_by_id[demo_id]))
                number = 1
            sched = schedule_topics(rng, topics, count, tenant)
            for topic in sched:
                number += rng.choice([1, 1, 1, 1, 2, 3])
                # meeting notes look up their agenda by a shared key
                doc = build_document(rng, tenant, agenda_key if topic is MEETING else dept, label, group,
                                     topic, topics, seen_titles, dept_titles, handbooks,
                                     with_pii=slot in pii_slots)
                slot += 1
                seen_titles.add(doc["title"])
                dept_titles.append(doc["title"])
                docs.append({"id": "%s-%s-%04d" % (tenant, dept, number), "title": doc["title"],
                             "body": doc["body"], "acl": doc["acl"], "tenant": tenant,
                             "updated_at": doc["updated_at"]})
    docs.sort(key=lambda d: (0 if d["tenant"] == "acme" else 1, d["id"]))
    return docs


def print_stats(docs, out=sys.stdout):
    import collections
    per_tenant = collections.Counter(d["tenant"] for d in docs)
    lens = sorted(words(d["body"]) for d in docs)
    print("documents: %d %s" % (len(docs), dict(per_tenant)), file=out)
    print("words: min %d, median %d, max %d" % (lens[0], lens[len(lens) // 2], lens[-1]), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output JSONL path (default: %(default)s)")
    ap.add_argument("--stats", action="store_true", help="print simple statistics")
    args = ap.parse_args(argv)
    docs = generate()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    print("wrote %d documents to %s" % (len(docs), out))
    if args.stats:
        print_stats(docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
