-- The quality gate: an object whose rejected share of export rows (duplicates aside) is
-- above its limit (var max_reject_shares, macros/quality/max_reject_share.sql) fails the
-- build. Staging reads audit_reject_shares, so everything downstream is skipped and no
-- marts are built from an export missing that much. The log names object, share, limit
-- and top reasons; the rows are in audit_rejected_rows.
with shares as (
    select * from {{ ref('audit_reject_shares') }}
),

final as (
    select
        source_object,
        raw_rows,
        counted_rejected_rows,
        reject_share,
        max_reject_share,
        top_reasons
    from shares
    where not is_within_limit
)

select * from final
{%- if execute %}
{%- set found = run_query("select source_object, counted_rejected_rows, raw_rows, reject_share, max_reject_share, top_reasons from " ~ ref('audit_reject_shares') ~ " where not is_within_limit order by source_object") %}
{%- for row in found.rows %}
{%- do log("ERROR reject limit exceeded for " ~ row[0] ~ ": " ~ row[1] ~ " of " ~ row[2] ~ " rows rejected ("
    ~ "%.2f" | format(row[3] * 100) ~ "%, limit " ~ "%.2f" | format(row[4] * 100) ~ "%); top reasons: " ~ row[5]
    ~ ". The rows and their raw values are in audit_rejected_rows; fix the export, or raise var max_reject_shares: {"
    ~ row[0] ~ ": ...}.", info=true) %}
{%- endfor %}
{%- endif %}
