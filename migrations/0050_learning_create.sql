-- The Learning plugin (issue 18): what each side of a partnership learnt in an activity (lessons), the
-- instance's policy domains, the library of lessons shared across municipalities, and the plugin's own copies of
-- the partnerships, their members and the activities, kept from the other plugins' events in the publishing
-- transaction (as results.*, 0036). docs/design/learning-library.md §1.
CREATE SCHEMA learning;
GRANT USAGE ON SCHEMA learning TO stedenband_app;

-- unaccent is a trusted extension (PostgreSQL 13+): the owner, who has CREATE on the database, may create it.
-- It lives in the plugin's schema, so nothing else depends on it being anywhere else.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA learning;

-- Text as the library compares it: without accents, lower case. unaccent() is STABLE (its rules file could
-- change); this wrapper names the dictionary and says IMMUTABLE so the generated search columns may use it.
-- Changing unaccent.rules later means writing the vectors again (UPDATE … SET title = title), as for any index
-- over unaccent.
CREATE FUNCTION learning.fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = pg_catalog, pg_temp
RETURN lower(learning.unaccent('learning.unaccent'::regdictionary, $1));

-- A list of words (themes) as one folded text; array_to_string() is STABLE, a text array's words are not.
CREATE FUNCTION learning.fold(text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = pg_catalog, pg_temp
RETURN learning.fold(array_to_string($1, ' '));

CREATE TABLE learning.partnerships (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    -- The partner municipality's name and country (ISO 3166-1 alpha-2): what the library shows and filters by.
    partner_name text NOT NULL DEFAULT '',
    partner_country text NOT NULL DEFAULT '',
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE learning.partnership_members (
    tenant_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    PRIMARY KEY (tenant_id, partnership_id, user_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES learning.partnerships (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX learning_members_by_user ON learning.partnership_members (tenant_id, user_id);

-- Each activity and its partnership. Deleting the activity (or its partnership) deletes its lessons, and their
-- rows in the library, through the cascades below.
CREATE TABLE learning.activities (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    title text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, id, partnership_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES learning.partnerships (tenant_id, id) ON DELETE CASCADE
);

-- The instance's policy domains: not a municipality's (no tenant_id), read by everyone, changed only through
-- learning.define_policy_domain() by a platform administrator, and never deleted (a retired domain keeps its
-- lessons and its words). The search words, in each language, are how a search in one language finds a lesson
-- written in another: "burgerlijke stand" finds a French lesson filed under civil_registry.
CREATE TABLE learning.policy_domains (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    names jsonb NOT NULL CHECK (names ?& ARRAY['nl', 'en', 'fr', 'es']),
    search_words jsonb NOT NULL DEFAULT '{}',
    position smallint NOT NULL,
    retired_at timestamptz,
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', learning.fold(
        jsonb_path_query_array(names, '$.*')::text || ' '
        || jsonb_path_query_array(search_words, '$.*[*]')::text))) STORED
);
GRANT SELECT ON learning.policy_domains TO stedenband_app;

INSERT INTO learning.policy_domains (code, names, search_words, position) VALUES
    ('civil_registry',
     '{"nl": "burgerlijke stand", "en": "civil registry", "fr": "état civil", "es": "registro civil"}',
     '{"nl": ["bevolkingsregister", "geboorteaangifte", "geboorteakte"], "en": ["birth registration", "register"],
       "fr": ["registre", "registre des naissances", "acte de naissance"], "es": ["registro", "acta de nacimiento"]}',
     1),
    ('waste',
     '{"nl": "afvalbeheer", "en": "waste management", "fr": "gestion des déchets", "es": "gestión de residuos"}',
     '{"nl": ["afval", "recyclage", "huisvuil"], "en": ["waste", "recycling", "garbage"],
       "fr": ["déchets", "ordures", "recyclage", "salubrité"], "es": ["residuos", "basura", "reciclaje"]}',
     2),
    ('water',
     '{"nl": "water en sanitatie", "en": "water and sanitation", "fr": "eau et assainissement",
       "es": "agua y saneamiento"}',
     '{"nl": ["drinkwater", "riolering", "hygiëne"], "en": ["drinking water", "sewage", "hygiene"],
       "fr": ["eau potable", "latrines", "hygiène"], "es": ["agua potable", "alcantarillado", "higiene"]}',
     3),
    ('health',
     '{"nl": "gezondheid", "en": "health", "fr": "santé", "es": "salud"}',
     '{"nl": ["gezondheidszorg", "vaccinatie", "pandemie"], "en": ["healthcare", "vaccination", "pandemic"],
       "fr": ["soins", "vaccination", "pandémie", "centre de santé"], "es": ["atención sanitaria", "vacunación", "pandemia"]}',
     4),
    ('local_economy',
     '{"nl": "lokale economie", "en": "local economy", "fr": "économie locale", "es": "economía local"}',
     '{"nl": ["ondernemers", "markt", "werkgelegenheid"], "en": ["entrepreneurs", "market", "jobs"],
       "fr": ["entrepreneurs", "marché", "emploi"], "es": ["emprendedores", "mercado", "empleo"]}',
     5),
    ('education',
     '{"nl": "onderwijs", "en": "education", "fr": "éducation", "es": "educación"}',
     '{"nl": ["school", "leerlingen"], "en": ["school", "pupils"], "fr": ["école", "élèves", "enseignement"],
       "es": ["escuela", "alumnos", "enseñanza"]}',
     6),
    ('local_finance',
     '{"nl": "lokale financiën", "en": "local finance", "fr": "finances locales", "es": "finanzas locales"}',
     '{"nl": ["belastingen", "begroting"], "en": ["taxes", "budget"], "fr": ["fiscalité", "impôts", "budget"],
       "es": ["impuestos", "presupuesto"]}',
     7),
    ('urban_planning',
     '{"nl": "ruimtelijke ordening", "en": "urban planning", "fr": "urbanisme", "es": "planificación urbana"}',
     '{"nl": ["stadsplanning", "mobiliteit"], "en": ["land use", "mobility"],
       "fr": ["aménagement du territoire", "cadastre", "mobilité"], "es": ["ordenamiento territorial", "catastro", "movilidad"]}',
     8),
    ('climate',
     '{"nl": "klimaat en energie", "en": "climate and energy", "fr": "climat et énergie", "es": "clima y energía"}',
     '{"nl": ["klimaatadaptatie", "zonne-energie"], "en": ["adaptation", "solar"], "fr": ["adaptation", "énergie solaire"],
       "es": ["adaptación", "energía solar"]}',
     9),
    ('participation',
     '{"nl": "burgerparticipatie", "en": "citizen participation", "fr": "participation citoyenne",
       "es": "participación ciudadana"}',
     '{"nl": ["inspraak", "bewoners"], "en": ["consultation", "residents"], "fr": ["concertation", "habitants"],
       "es": ["consulta", "vecinos"]}',
     10),
    ('agriculture',
     '{"nl": "landbouw en voeding", "en": "agriculture and food", "fr": "agriculture et alimentation",
       "es": "agricultura y alimentación"}',
     '{"nl": ["boeren", "voedselzekerheid"], "en": ["farmers", "food security"], "fr": ["agriculteurs", "sécurité alimentaire"],
       "es": ["agricultores", "seguridad alimentaria"]}',
     11),
    ('other',
     '{"nl": "ander beleidsdomein", "en": "other policy domain", "fr": "autre domaine", "es": "otro ámbito"}',
     '{}',
     99);

CREATE TABLE learning.lessons (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    activity_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 20000),
    side text NOT NULL CHECK (side IN ('flemish_municipality', 'partner_municipality')),
    themes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(themes) <= 20),
    sdg_targets text[] NOT NULL DEFAULT '{}' CHECK (cardinality(sdg_targets) <= 10),
    policy_domain text NOT NULL REFERENCES learning.policy_domains (code),
    language text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    author_id uuid NOT NULL,
    -- The author's role in the partnership when writing: what the library names as the contact.
    author_role text NOT NULL CHECK (author_role IN ('coordinator', 'partner_coordinator')),
    shared boolean NOT NULL DEFAULT false,
    shared_at timestamptz,
    published boolean NOT NULL DEFAULT false,
    published_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, activity_id, partnership_id)
        REFERENCES learning.activities (tenant_id, id, partnership_id) ON DELETE CASCADE,
    CHECK (shared = (shared_at IS NOT NULL)),
    CHECK (published = (published_at IS NOT NULL)),
    -- A published lesson is shared: the public may read what the other municipalities may not.
    CHECK (NOT published OR shared)
);
CREATE INDEX lessons_by_activity ON learning.lessons (tenant_id, activity_id, created_at, id);
CREATE INDEX lessons_by_partnership ON learning.lessons (tenant_id, partnership_id);

-- The library: one row per shared lesson of any municipality, written by the Learning service in the transaction
-- that shares, changes, unshares or deletes the lesson (no queue: an unshared lesson is out of the library when
-- its transaction commits). It holds what the library shows and nothing else: no author.
CREATE TABLE learning.shared_lessons (
    tenant_id uuid NOT NULL,
    lesson_id uuid NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    side text NOT NULL,
    themes text[] NOT NULL,
    sdg_targets text[] NOT NULL,
    policy_domain text NOT NULL REFERENCES learning.policy_domains (code),
    language text NOT NULL,
    partnership_title text NOT NULL,
    partner_name text NOT NULL,
    partner_country text NOT NULL,
    activity_title text NOT NULL,
    contact_role text NOT NULL,
    shared_at timestamptz NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', learning.fold(title)), 'A')
        || setweight(to_tsvector('simple', learning.fold(themes)), 'B')
        || setweight(to_tsvector('simple', learning.fold(body)), 'C')) STORED,
    PRIMARY KEY (tenant_id, lesson_id),
    FOREIGN KEY (tenant_id, lesson_id) REFERENCES learning.lessons (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX shared_lessons_newest ON learning.shared_lessons (shared_at DESC, lesson_id DESC);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['partnerships', 'partnership_members', 'activities', 'lessons',
        'shared_lessons'] LOOP
        EXECUTE format('ALTER TABLE learning.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE learning.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON learning.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON learning.%I TO stedenband_app', name);
    END LOOP;
END
$$;
-- The app role reads only its own municipality's rows, the library's included; learning.search_library (the
-- owner's) reads every municipality's shared rows, and nothing else crosses.
CREATE POLICY library ON learning.shared_lessons FOR SELECT TO stedenband_owner USING (true);

-- Every signed-in person of a municipality searches every municipality's shared lessons; nobody else (a
-- platform administrator's or a visitor's transaction names no municipality). Each word is a prefix; the words
-- come as a bound array that the service split into letters and digits, and each is quoted as one lexeme, so
-- no query syntax reaches the tsquery. The municipality's slug and name come from platform.tenants, which the
-- owner reads (0019) and a municipality's transaction could not for another municipality. A lesson matches by
-- its own words or by its policy domain's names and search words, in any language: every word of the search
-- must be found, each in either. Newest shared first, a cursor over (shared_at, lesson_id). No GIN index:
-- each word is checked against two vectors, which a library of thousands of lessons does in milliseconds.
CREATE FUNCTION learning.search_library(in_words text[], in_theme text, in_sdg_target text, in_domain text,
    in_country text, in_side text, in_lesson uuid, in_after_at timestamptz, in_after_id uuid, in_limit integer)
RETURNS TABLE (tenant_id uuid, municipality_slug text, municipality_name text, lesson_id uuid, title text,
    body text, side text, themes text[], sdg_targets text[], policy_domain text, language text,
    partnership_title text, partner_name text, partner_country text, activity_title text, contact_role text,
    shared_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    words tsquery[];
BEGIN
    IF nullif(current_setting('app.tenant_id', true), '') IS NULL THEN
        RAISE EXCEPTION 'only the people of a municipality search the library'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF cardinality(in_words) > 0 THEN
        SELECT array_agg((quote_literal(learning.fold(w)) || ':*')::tsquery) INTO words
        FROM unnest(in_words) AS w
        WHERE length(w) BETWEEN 1 AND 40;
    END IF;
    RETURN QUERY
        SELECT s.tenant_id, t.slug, t.name, s.lesson_id, s.title, s.body, s.side, s.themes, s.sdg_targets,
            s.policy_domain, s.language, s.partnership_title, s.partner_name, s.partner_country, s.activity_title,
            s.contact_role, s.shared_at
        FROM learning.shared_lessons s
        JOIN platform.tenants t ON t.id = s.tenant_id
        JOIN learning.policy_domains d ON d.code = s.policy_domain
        -- Every word is found, each in the lesson's own words or in its domain's.
        WHERE (words IS NULL OR NOT EXISTS (
                SELECT FROM unnest(words) AS q(word) WHERE NOT (s.search @@ q.word OR d.search @@ q.word)))
          AND (in_theme IS NULL OR in_theme = ANY(s.themes))
          AND (in_sdg_target IS NULL OR in_sdg_target = ANY(s.sdg_targets))
          AND (in_domain IS NULL OR s.policy_domain = in_domain)
          AND (in_country IS NULL OR s.partner_country = in_country)
          AND (in_side IS NULL OR s.side = in_side)
          AND (in_lesson IS NULL OR s.lesson_id = in_lesson)
          AND (in_after_at IS NULL OR (s.shared_at, s.lesson_id) < (in_after_at, in_after_id))
        ORDER BY s.shared_at DESC, s.lesson_id DESC
        LIMIT in_limit;
END
$$;
REVOKE ALL ON FUNCTION learning.search_library(text[], text, text, text, text, text, uuid, timestamptz, uuid,
    integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION learning.search_library(text[], text, text, text, text, text, uuid, timestamptz, uuid,
    integer) TO stedenband_app;

-- Platform administrators add, rename and retire policy domains; none is ever deleted.
CREATE FUNCTION learning.define_policy_domain(in_code text, in_names jsonb, in_search_words jsonb,
    in_position smallint, in_retired boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators define policy domains'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO learning.policy_domains AS d (code, names, search_words, position, retired_at)
    VALUES (in_code, in_names, coalesce(in_search_words, '{}'),
        coalesce(in_position, (SELECT coalesce(max(position), 0) + 1 FROM learning.policy_domains
                               WHERE code <> 'other')),
        CASE WHEN in_retired THEN now() END)
    ON CONFLICT (code) DO UPDATE SET names = excluded.names,
        search_words = coalesce(in_search_words, d.search_words),
        position = coalesce(in_position, d.position),
        retired_at = CASE WHEN in_retired THEN coalesce(d.retired_at, now()) END;
END
$$;
REVOKE ALL ON FUNCTION learning.define_policy_domain(text, jsonb, jsonb, smallint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION learning.define_policy_domain(text, jsonb, jsonb, smallint, boolean) TO stedenband_app;

-- The copies start from the kept events, or the partnerships and activities that exist today would enter them
-- only with their next event, and no lesson could be written on them until then (as 0036 does for results.*).
DO $$
DECLARE
    tenant uuid;
BEGIN
    FOR tenant IN SELECT id FROM platform.tenants LOOP
        PERFORM set_config('app.tenant_id', tenant::text, true);

        INSERT INTO learning.partnerships (tenant_id, id, title, status, partner_name, partner_country, version)
        SELECT tenant, l.id, coalesce(l.partnership ->> 'title', ''), coalesce(l.partnership ->> 'status', ''),
            coalesce(l.partnership -> 'partner' ->> 'name', ''), coalesce(l.partnership -> 'partner' ->> 'country', ''),
            l.version
        FROM (
            SELECT DISTINCT ON (e.aggregate_id) e.aggregate_id AS id, e.aggregate_version AS version, e.name,
                e.payload -> 'partnership' AS partnership
            FROM messaging.events e
            WHERE e.tenant_id = tenant AND e.name LIKE 'partnerships.%'
            ORDER BY e.aggregate_id, e.aggregate_version DESC, e.position DESC) l
        WHERE l.name NOT LIKE 'partnerships.partnership_deleted.%';

        INSERT INTO learning.partnership_members (tenant_id, partnership_id, user_id, role)
        SELECT tenant, p.id, (m.member ->> 'userId')::uuid, coalesce(m.member ->> 'role', '')
        FROM learning.partnerships p
        CROSS JOIN LATERAL (
            SELECT e.payload FROM messaging.events e
            WHERE e.tenant_id = tenant AND e.aggregate_id = p.id AND e.name LIKE 'partnerships.%'
            ORDER BY e.aggregate_version DESC, e.position DESC
            LIMIT 1) e
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(e.payload -> 'partnership' -> 'members', '[]')) AS m(member)
        WHERE p.tenant_id = tenant AND m.member ->> 'userId' IS NOT NULL
        ON CONFLICT DO NOTHING;

        INSERT INTO learning.activities (tenant_id, id, partnership_id, title, version)
        SELECT tenant, l.id, (l.activity ->> 'partnershipId')::uuid, coalesce(l.activity ->> 'title', ''), l.version
        FROM (
            SELECT DISTINCT ON (e.aggregate_id) e.aggregate_id AS id, e.aggregate_version AS version, e.name,
                e.payload -> 'activity' AS activity
            FROM messaging.events e
            WHERE e.tenant_id = tenant AND e.name LIKE 'activities.%'
            ORDER BY e.aggregate_id, e.aggregate_version DESC, e.position DESC) l
        WHERE l.name NOT LIKE 'activities.activity_deleted.%'
          AND EXISTS (
            SELECT 1 FROM learning.partnerships p
            WHERE p.tenant_id = tenant AND p.id = (l.activity ->> 'partnershipId')::uuid);
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
