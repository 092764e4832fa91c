"""The one place the directory talks to the database: ``from directory import repository``.

Split by what a caller does: `read` (searching, services, organisations, locations, taxonomies, counts),
`write` (search rows, reindexing, bulk writes, versions, import runs), `curation` (the editors' queries),
`reports` (problem reports) and `index_state` (the process-wide search index version). The search
statements themselves are built in `directory.search.statements`. Nothing here commits: the request or the
command owns the transaction. `Filters` and `DAY_CODES` are re-exported for callers that imported them from
here; their homes are `directory.search.filters` and `directory.listing_facts`.
"""

# ruff: noqa: F401 (this module is the list of what the repository offers)
from directory.listing_facts import DAY_CODES
from directory.repository.curation import (
    count_not_checked,
    get_service_any_status,
    not_checked_condition,
    organization_choices,
    services_not_active,
    stale_service_ids,
    terms_by_ids,
)
from directory.repository.index_state import (
    INDEX_VERSION_KEY,
    bump_index_version,
    changes_here,
    database_key,
    dialect_name,
    index_version,
)
from directory.repository.read import (
    SearchPage,
    active_service_at_location_page,
    active_service_ids,
    categories,
    category_codes,
    category_counts,
    count_services,
    database_is_reachable,
    exportable_service_ids,
    full_service_views,
    full_services,
    get_location,
    get_organization,
    get_service,
    get_taxonomy,
    get_taxonomy_term,
    listings_shown,
    locations_page,
    matches_any,
    organization_service_ids,
    organizations,
    organizations_page,
    search_page,
    search_texts,
    service_at_location_page,
    service_at_locations_by_ids,
    services_by_ids,
    summary_service_at_location_views,
    summary_service_views,
    taxonomies,
    taxonomies_page,
    taxonomy_names,
    taxonomy_terms,
    taxonomy_terms_page,
    term_exists,
    vocabulary_texts,
)
from directory.repository.reports import (
    add_problem_report,
    count_open_problem_reports,
    erase_contact_emails,
    get_problem_report,
    open_problem_reports,
    problem_reports_for,
    purge_contact_emails,
    reports_with_contact,
)
from directory.repository.write import (
    INTERRUPTED,
    add_all,
    add_version,
    content_hashes,
    delete_directory,
    get_import_run,
    get_or_create_taxonomy,
    insert_rows,
    latest_versions,
    neighbour_versions,
    next_version_number,
    refresh_statistics,
    reindex,
    rows_by_id,
    savepoint,
    search_row,
    search_rows,
    search_text,
    service_version,
    service_versions,
    services_showing,
    start_import_run,
    store_listing,
    stored_listings,
    taxonomy_rows,
    terms_by_code,
    version_numbers,
    version_row,
    write_rows,
)
from directory.search.filters import Filters
