//! Work spread over every core: scoped threads each taking the next item, the results put
//! back in the items' order (so what is built from them does not depend on the timing).

/// `f` over `items` on every core (scoped threads taking the next item), results in order.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let work = || {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                mine.push((i, f(item)));
            }
            mine
        };
        let helpers: Vec<_> = (1..workers).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::on_every_core;

    #[test]
    fn every_item_once_and_the_results_in_the_items_order() {
        for n in [0usize, 1, 2, 3, 100] {
            let items: Vec<usize> = (0..n).collect();
            // Uneven work, so the threads finish out of order.
            let out = on_every_core(&items, |i| {
                std::thread::sleep(std::time::Duration::from_micros(((n - i) % 7) as u64 * 50));
                i * 2
            });
            assert_eq!(
                out,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{n} items"
            );
        }
    }
}
