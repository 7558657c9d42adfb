import Foundation

/// Everything language-specific a page needs: strings, date formatting and the layout's texts.
struct LanguagePack: Sendable {
    let strings: Localization
    let dates: DateText
    let layout: LayoutBuilder

    init(strings: Localization, timeZone: TimeZone, site: SiteSettings) {
        self.strings = strings
        dates = DateText(strings: strings, timeZone: timeZone)
        layout = LayoutBuilder(strings: strings, site: site)
    }
}
