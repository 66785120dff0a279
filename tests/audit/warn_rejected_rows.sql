-- Rejected export rows per object and reason, as a warning, so plain `dbt build` shows
-- them (the rows with their raw values are in audit_rejected_rows; the gate,
-- assert_reject_shares_within_limits, fails the build when there are too many).
{{ config(severity='warn') }}

with rejected as (
    select * from {{ ref('audit_rejected_rows') }}
),

final as (
    select
        source_object,
        rejection_reason,
        count(*) as rejected_rows
    from rejected
    group by source_object, rejection_reason
)

select * from final
{%- if execute %}
{%- set found = run_query("select source_object, rejection_reason, count(*) from " ~ ref('audit_rejected_rows') ~ " group by 1, 2 order by 1, 3 desc, 2") %}
{%- if found.rows | length > 0 %}
{%- set parts = [] %}
{%- for row in found.rows %}
{%- do parts.append(row[0] ~ " " ~ row[1] ~ " " ~ row[2]) %}
{%- endfor %}
{%- do log("WARNING rejected export rows (see audit_rejected_rows): " ~ parts | join(', '), info=true) %}
{%- endif %}
{%- endif %}
